package io.prefixflow.runtime.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.testing.GreedyReference;
import io.prefixflow.runtime.testing.SharedData;
import io.prefixflow.runtime.tokenizer.DefaultTokenizerFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generation loop's stop rules and streaming on stories260K with its tokenizer. */
class GeneratorTest {
    private static final int BLOCK_SIZE = 16;
    private static Model model;
    private static CpuModelRunner runner;
    private static BlockPool pool;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(SharedData.model("stories260K.bin").toString(),
                SharedData.model("tok512.bin"), null, new DefaultTokenizerFactory());
        int numBlocks = model.config().contextLength() / BLOCK_SIZE;
        runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 2);
        pool = new BlockPool(numBlocks);
    }

    @AfterAll
    static void close() {
        runner.close();
    }

    private static GreedyReference.Case reference(String id) {
        return GreedyReference.cases().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static GenerationResult generate(int[] prompt, SamplingParams params, StringBuilder streamed) {
        GenerationResult result = new Generator(model, runner, pool, 16).generate(prompt, params,
                (token, delta) -> streamed.append(delta));
        assertEquals(pool.numBlocks(), pool.numFreeBlocks(), "every block goes back to the pool");
        return result;
    }

    @Test
    void maxTokensEndsWithLengthAndTheStreamAddsUpToTheText() {
        GreedyReference.Case once = reference("once");
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = generate(once.promptIds(), SamplingParams.greedy(40), streamed);
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertArrayEquals(Arrays.copyOf(once.generatedIds(), 40), r.tokenIds());
        assertEquals(r.text(), streamed.toString());
        assertTrue(once.completionText().startsWith(r.text()), r.text());
    }

    @Test
    void aStopTokenEndsWithStopKeepsTheIdAndPrintsNothingForIt() {
        GreedyReference.Case longCase = reference("long");
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = generate(longCase.promptIds(), SamplingParams.greedy(200), streamed);
        assertEquals(FinishReason.STOP, r.finishReason());
        assertArrayEquals(longCase.generatedIds(), r.tokenIds());
        assertEquals(1, r.tokenIds()[r.tokenIds().length - 1]);
        assertEquals(r.text(), streamed.toString());
    }

    @Test
    void aStopStringCutsTheTextBeforeItAndNeverStreamsIt() {
        GreedyReference.Case once = reference("once");
        SamplingParams params = new SamplingParams(0f, 1f, 0, 0, 100, List.of("Lily"));
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = generate(once.promptIds(), params, streamed);
        assertEquals(FinishReason.STOP, r.finishReason());
        int at = once.completionText().indexOf("Lily");
        assertEquals(once.completionText().substring(0, at), r.text());
        assertEquals(r.text(), streamed.toString());
        assertFalse(streamed.toString().contains("Lil"));
    }

    @Test
    void theSameSeedGivesTheSameSampledText() {
        GreedyReference.Case once = reference("once");
        SamplingParams params = new SamplingParams(0.9f, 0.95f, 40, 1234, 50, List.of());
        GenerationResult a = generate(once.promptIds(), params, new StringBuilder());
        GenerationResult b = generate(once.promptIds(), params, new StringBuilder());
        assertArrayEquals(a.tokenIds(), b.tokenIds());
        GenerationResult c = generate(once.promptIds(), new SamplingParams(0.9f, 0.95f, 40, 99, 50, List.of()),
                new StringBuilder());
        assertFalse(Arrays.equals(a.tokenIds(), c.tokenIds()), "another seed should give another story");
    }

    @Test
    void aPromptThatFillsTheContextIsRefusedWithItsLength() {
        int[] prompt = new int[model.config().contextLength()];
        Arrays.fill(prompt, 400);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generate(prompt, SamplingParams.greedy(4), new StringBuilder()));
        assertTrue(e.getMessage().contains("512 tokens"), e.getMessage());
    }

    @Test
    void aHugeMaxTokensRunsToTheEndOfTheContext() {
        Model noStops = new Model(model.name(), model.config(), model.weights(), model.tokenizer(), Set.of(), null);
        int[] prompt = new int[model.config().contextLength() - 5];
        Arrays.fill(prompt, 400);
        GenerationResult r = new Generator(noStops, runner, pool, 64).generate(prompt,
                SamplingParams.greedy(Integer.MAX_VALUE), TokenListener.NONE);
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(6, r.tokenIds().length, "5 free positions plus the token sampled at the last one");
        assertEquals(pool.numBlocks(), pool.numFreeBlocks());
    }
}
