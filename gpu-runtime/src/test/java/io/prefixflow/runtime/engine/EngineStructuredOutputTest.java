package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.generate.Generator;
import io.prefixflow.runtime.generate.TokenListener;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.RandomSchemas;
import io.prefixflow.runtime.structured.ResponseFormat;
import io.prefixflow.runtime.structured.SchemaValidation;
import io.prefixflow.runtime.structured.StructuredOutput;
import io.prefixflow.runtime.structured.TokenConstraint;
import io.prefixflow.runtime.testing.SharedData;
import io.prefixflow.runtime.tokenizer.DefaultTokenizerFactory;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Structured output through the engine on stories260K.gguf (SPM): random bounded schemas and prompts,
 * constrained and free requests in one batch, and the engine agreeing with the single-request loop.
 */
class EngineStructuredOutputTest {
    private static final String[] WORDS = {"Once", "upon", "a", "time", "Lily", "saw", "a", "big", "dog", "and"};
    private static final int MAX_TOKENS = 160;
    private static Model model;

    static synchronized Model model() {
        if (model == null) {
            model = ModelLoader.load(SharedData.model("stories260K.gguf").toString(), null, null,
                    new DefaultTokenizerFactory()).withContextLength(EngineTesting.CONTEXT);
        }
        return model;
    }

    @Property(tries = 12)
    void constrainedOutputsValidateAndLeaveFreeNeighboursAlone(@ForAll long seed) throws Exception {
        Model m = model();
        SplittableRandom random = new SplittableRandom(seed);
        String schema = RandomSchemas.schema(random, 1);
        int[] prompt = m.tokenizer().encode(prompt(random), true);
        float temperature = random.nextBoolean() ? 0f : 0.8f;
        SamplingParams params = new SamplingParams(temperature, 1f, 0, random.nextLong(), MAX_TOKENS, List.of());
        EngineRequest constrained = new EngineRequest("json", prompt, params, Priority.THROUGHPUT, "")
                .withResponseFormat(ResponseFormat.jsonSchema(schema));
        EngineRequest free = new EngineRequest("free", prompt, params, Priority.THROUGHPUT, "");
        try (CpuModelRunner runner = EngineTesting.runner(m, 64);
             Engine engine = Engine.start(m, runner, SchedulerConfig.DEFAULT)) {
            List<EngineResult> results = EngineTesting.runAll(engine, List.of(constrained, free));
            EngineResult json = results.get(0);
            if (json.finishReason() == FinishReason.STOP) {
                SchemaValidation.assertValid(schema, json.text());
            } else {
                assertEquals(FinishReason.LENGTH, json.finishReason(), () -> String.valueOf(json.errorMessage()));
                assertEquals(MAX_TOKENS, json.tokenIds().length);
            }
            GenerationResult alone = EngineTesting.reference(m, prompt, params);
            assertArrayEquals(alone.tokenIds(), results.get(1).tokenIds(), "the free request is unaffected");
        }
    }

    @Test
    void engineAndSingleRequestLoopAgreeUnderAConstraint() throws Exception {
        Model m = model();
        String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":8},"
                + "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":120}},\"required\":[\"name\",\"age\"]}";
        ResponseFormat format = ResponseFormat.jsonSchema(schema);
        int[] prompt = m.tokenizer().encode("Once upon a time", true);
        SamplingParams params = SamplingParams.greedy(MAX_TOKENS);
        GenerationResult reference;
        try (CpuModelRunner runner = EngineTesting.runner(m, 32)) {
            TokenConstraint constraint = new TokenConstraint(
                    new StructuredOutput(m.tokenizer(), m.config().vocabSize(), m.stopTokenIds()).masks(format));
            reference = new Generator(m, runner, new BlockPool(32), 64).generate(prompt, params, constraint,
                    TokenListener.NONE);
        }
        try (CpuModelRunner runner = EngineTesting.runner(m, 64);
             Engine engine = Engine.start(m, runner, SchedulerConfig.DEFAULT)) {
            EngineResult result = engine.submit(EngineRequest.greedy("r", prompt, MAX_TOKENS)
                    .withResponseFormat(format)).result().get();
            assertEquals(FinishReason.STOP, result.finishReason());
            assertArrayEquals(reference.tokenIds(), result.tokenIds());
            assertEquals(reference.text(), result.text());
            SchemaValidation.assertValid(schema, result.text());
        }
    }

    @Test
    void aResumedConstrainedRequestContinuesAsIfUninterrupted() throws Exception {
        Model m = model();
        String schema = "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":4},\"maxItems\":3}";
        SamplingParams params = new SamplingParams(0.9f, 1f, 0, 7, MAX_TOKENS, List.of());
        int[] prompt = m.tokenizer().encode("Lily saw", true);
        try (CpuModelRunner runner = EngineTesting.runner(m, 64);
             Engine engine = Engine.start(m, runner, SchedulerConfig.DEFAULT)) {
            EngineRequest request = new EngineRequest("a", prompt, params, Priority.THROUGHPUT, "",
                    ResponseFormat.jsonSchema(schema));
            EngineResult full = engine.submit(request).result().get();
            assertEquals(FinishReason.STOP, full.finishReason());
            int cut = Math.max(1, full.tokenIds().length / 2);
            EngineResult resumed = engine.resume(new EngineRequest("b", prompt, params, Priority.THROUGHPUT, "",
                    ResponseFormat.jsonSchema(schema)), java.util.Arrays.copyOf(full.tokenIds(), cut),
                    TokenListener.NONE).result().get();
            assertArrayEquals(full.tokenIds(), resumed.tokenIds());
            assertEquals(full.text(), resumed.text());
            SchemaValidation.assertValid(schema, resumed.text());
        }
    }

    @Test
    void choiceAndRegexThroughTheEngine() throws Exception {
        Model m = model();
        List<String> choices = List.of("sunny", "rainy", "cloudy");
        try (CpuModelRunner runner = EngineTesting.runner(m, 64);
             Engine engine = Engine.start(m, runner, SchedulerConfig.DEFAULT)) {
            for (int i = 0; i < 4; i++) {
                SamplingParams params = new SamplingParams(1f, 1f, 0, i, 20, List.of());
                int[] prompt = m.tokenizer().encode("The weather is", true);
                EngineResult choice = engine.submit(new EngineRequest("c" + i, prompt, params, Priority.LATENCY, "",
                        ResponseFormat.choice(choices))).result().get();
                assertEquals(FinishReason.STOP, choice.finishReason());
                assertTrue(choices.contains(choice.text()), choice.text());
                EngineResult regex = engine.submit(new EngineRequest("r" + i, prompt, params, Priority.LATENCY, "",
                        ResponseFormat.regex("[A-Z]{2}-\\d{3}"))).result().get();
                assertEquals(FinishReason.STOP, regex.finishReason());
                assertTrue(Pattern.matches("[A-Z]{2}-\\d{3}", regex.text()), regex.text());
            }
        }
    }

    @Test
    void maxTokensBeforeCompletionEndsWithLengthAndThePartialText() throws Exception {
        Model m = model();
        try (CpuModelRunner runner = EngineTesting.runner(m, 64);
             Engine engine = Engine.start(m, runner, SchedulerConfig.DEFAULT)) {
            EngineResult result = engine.submit(EngineRequest.greedy("r", m.tokenizer().encode("Hi", true), 3)
                    .withResponseFormat(ResponseFormat.regex("abcdefghij"))).result().get();
            assertEquals(FinishReason.LENGTH, result.finishReason());
            assertTrue("abcdefghij".startsWith(result.text()) && !result.text().isEmpty(), result.text());
        }
    }

    @Test
    void anUnsupportedFormatIsAnErrorNamingIt() throws Exception {
        Model m = model();
        try (CpuModelRunner runner = EngineTesting.runner(m, 64);
             Engine engine = Engine.start(m, runner, SchedulerConfig.DEFAULT)) {
            EngineResult result = engine.submit(EngineRequest.greedy("r", m.tokenizer().encode("Hi", true), 8)
                    .withResponseFormat(ResponseFormat.jsonSchema("{\"oneOf\":[{\"type\":\"null\"}]}"))).result().get();
            assertEquals(FinishReason.ERROR, result.finishReason());
            assertTrue(result.errorMessage().contains("'oneOf'"), result.errorMessage());
            assertEquals(0, result.tokenIds().length);
        }
    }

    private static String prompt(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
            text.append(i > 0 ? " " : "").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
