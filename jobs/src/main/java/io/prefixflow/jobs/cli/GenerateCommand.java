package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.generate.Generator;
import io.prefixflow.runtime.engine.EngineMetrics;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.ResponseFormat;
import io.prefixflow.runtime.structured.StructuredOutput;
import io.prefixflow.runtime.structured.TokenConstraint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate}: completes a prompt, streaming the text or printing one JSON object. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a completion for a prompt on the CPU engine.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt text.")
    String prompt;

    @Option(names = "--prompts-file", paramLabel = "FILE.jsonl",
            description = "Serve every line concurrently through the engine: a JSON object with \"prompt\" and"
                    + " optionally max_tokens, temperature, top_p, top_k, seed, stop, priority, cache_salt,"
                    + " response_format (missing ones come from the options). Not with --prompt.")
    Path promptsFile;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate (default 256).")
    int maxTokens = 256;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy (default 0).")
    float temperature = 0f;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling threshold (default 1 = off).")
    float topP = 1f;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens (default 0 = off).")
    int topK = 0;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same output (default 0).")
    long seed = 0;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text; repeatable.")
    List<String> stop = List.of();

    @Option(names = "--json-schema", paramLabel = "FILE|JSON",
            description = "Constrain the output to JSON valid against this JSON schema (inline JSON or a file)."
                    + " See README: Structured output for the supported subset.")
    String jsonSchema;

    @Option(names = "--choice", paramLabel = "A,B,C", split = ",",
            description = "Constrain the output to exactly one of these strings.")
    List<String> choices;

    @Option(names = "--regex", paramLabel = "PATTERN",
            description = "Constrain the whole output to match this regular expression.")
    String regex;

    @Option(names = "--json", description = "Print one JSON object: prompt_token_ids, token_ids, text, finish_reason"
            + " (with --prompts-file one per line, in input order, plus usage).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((prompt == null) == (promptsFile == null)) {
            throw new IllegalArgumentException("give exactly one of --prompt TEXT or --prompts-file FILE.jsonl");
        }
        SamplingParams params = new SamplingParams(temperature, topP, topK, seed, maxTokens, stop);
        ResponseFormat format = responseFormat();
        List<PromptLine> lines = promptsFile == null ? null : PromptsFile.read(promptsFile, params, format);
        Model model = modelOptions.load();
        if (model.tokenizer() == null) {
            throw new IllegalArgumentException("model " + model.name() + " has no tokenizer; give --tokenizer");
        }
        if (lines != null) {
            return generateAll(model, lines);
        }
        int[] promptIds = model.tokenizer().encode(prompt, model.tokenizer().addBosByDefault());
        int blockSize = modelOptions.blockSize;
        int numBlocks = (model.config().contextLength() + blockSize - 1) / blockSize;
        PrintWriter out = spec.commandLine().getOut();
        try (ModelRunner runner = modelOptions.openRunner(model, numBlocks)) {
            Generator generator = new Generator(model, runner, new BlockPool(numBlocks), 512);
            TokenConstraint constraint = format == null ? null : new TokenConstraint(new StructuredOutput(
                    model.tokenizer(), model.config().vocabSize(), model.stopTokenIds()).masks(format));
            long startNanos = System.nanoTime();
            GenerationResult result = generator.generate(promptIds, params, constraint, (token, delta) -> {
                if (!json && !delta.isEmpty()) {
                    out.print(delta);
                    out.flush();
                }
            });
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode node = mapper.createObjectNode();
                node.putPOJO("prompt_token_ids", result.promptTokenIds());
                node.putPOJO("token_ids", result.tokenIds());
                node.put("text", result.text());
                node.put("finish_reason", result.finishReason().wireName());
                out.println(mapper.writeValueAsString(node));
            } else {
                out.println();
                spec.commandLine().getErr().printf("[%d prompt + %d generated tokens in %.2f s, %s]%n",
                        promptIds.length, result.tokenIds().length, seconds, result.finishReason().wireName());
            }
            out.flush();
        }
        return 0;
    }

    /** The format of --json-schema, --choice or --regex (at most one), or null. */
    private ResponseFormat responseFormat() throws IOException {
        int given = (jsonSchema != null ? 1 : 0) + (choices != null ? 1 : 0) + (regex != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException("give at most one of --json-schema, --choice and --regex");
        }
        if (jsonSchema != null) {
            String schema = jsonSchema.strip().startsWith("{") || jsonSchema.strip().equals("true")
                    ? jsonSchema : Files.readString(Path.of(jsonSchema), StandardCharsets.UTF_8);
            return ResponseFormat.jsonSchema(schema);
        }
        if (choices != null) {
            return ResponseFormat.choice(choices);
        }
        return regex == null ? null : ResponseFormat.regex(regex);
    }

    private int generateAll(Model model, List<PromptLine> lines) throws Exception {
        int blockSize = modelOptions.blockSize;
        PromptsFileGeneration generation = new PromptsFileGeneration(model, modelOptions,
                engineOptions.numBlocks(modelOptions.backend(), modelOptions.kvDtype(), model.config(), blockSize),
                engineOptions.schedulerConfig());
        long startNanos = System.nanoTime();
        List<EngineResult> results = generation.run(lines);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            PromptsFileGeneration.printJson(results, out);
        } else {
            PromptsFileGeneration.printText(lines, results, out);
        }
        out.flush();
        EngineMetrics metrics = generation.metrics();
        spec.commandLine().getErr().printf("[%d requests in %.2f s; prefix cache hit %d of %d prompt tokens;"
                        + " %d preemptions; peak %d KV blocks]%n", results.size(), seconds,
                metrics.numPrefixHitTokens(), metrics.numPrefixLookupTokens(), metrics.numPreemptions(),
                metrics.peakUsedBlocks());
        return 0;
    }
}
