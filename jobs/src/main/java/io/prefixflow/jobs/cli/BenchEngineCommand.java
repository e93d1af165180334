package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-engine}: raw forward-pass throughput of the CPU runner, shaped like llama.cpp's
 * {@code llama-bench -p 512 -n 128} and {@code llama-batched-bench -npp 512 -ntg 128 -npl ... -pps}.
 *
 * <p>Prefill: one sequence's {@code --prompt-tokens} random tokens in one step. Decode at concurrency
 * c: c sequences that share one prefilled prompt (its KV blocks appear in every block table, as with
 * {@code -pps}), then {@code --decode-tokens} steps that each decode one token for all c sequences;
 * throughput is the total over the c sequences. Each figure is the median of {@code --repetitions}
 * runs after one warm-up.
 */
@Command(name = "bench-engine", mixinStandardHelpOptions = true,
        description = "Measure prefill and batched decode throughput of the CPU engine.")
final class BenchEngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt-tokens", paramLabel = "N", description = "Prompt length (default 512).")
    int promptTokens = 512;

    @Option(names = "--decode-tokens", paramLabel = "N", description = "Decode steps (default 128).")
    int decodeTokens = 128;

    @Option(names = "--concurrency", split = ",", paramLabel = "C[,C...]",
            description = "Sequences decoded together (default 1,4,16).")
    int[] concurrency = {1, 4, 16};

    @Option(names = "--repetitions", paramLabel = "N", description = "Timed runs per figure (default 3).")
    int repetitions = 3;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || decodeTokens < 1 || repetitions < 1 || Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--prompt-tokens, --decode-tokens, --repetitions and --concurrency must be >= 1");
        }
        if (modelOptions.contextLength == null) {
            modelOptions.contextLength = promptTokens + decodeTokens;
        }
        Model model = modelOptions.load();
        int blockSize = modelOptions.blockSize;
        int maxConcurrency = Arrays.stream(concurrency).max().orElse(1);
        int promptBlocks = blocks(promptTokens, blockSize);
        int privateBlocks = blocks(promptTokens + decodeTokens, blockSize) - promptTokens / blockSize;
        int numBlocks = promptBlocks + maxConcurrency * privateBlocks;
        SplittableRandom random = new SplittableRandom(42);
        int[] prompt = random.ints(promptTokens, 0, model.config().vocabSize()).toArray();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode result = mapper.createObjectNode();
        result.put("model", model.name());
        result.put("dtype", modelOptions.dtype == null ? "file" : modelOptions.dtype.toLowerCase());
        result.put("backend", modelOptions.backend);
        result.put("threads", modelOptions.threads);
        result.put("prompt_tokens", promptTokens);
        result.put("decode_tokens", decodeTokens);
        try (ModelRunner runner = modelOptions.openRunner(model, numBlocks)) {
            int[] promptTable = new int[promptBlocks];
            Arrays.setAll(promptTable, i -> i);
            err.println("warming up...");
            prefill(runner, prompt, promptTable);
            decode(runner, prompt.length, promptTable, Math.min(4, maxConcurrency), Math.min(8, decodeTokens),
                    blockSize, privateBlocks);
            double[] prefillRates = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                prefill(runner, prompt, promptTable);
                prefillRates[r] = promptTokens / seconds(start);
                err.printf("prefill %d tokens: %.1f tokens/s%n", promptTokens, prefillRates[r]);
            }
            result.put("prefill_tokens_per_s", round(median(prefillRates)));
            ArrayNode decodeNode = result.putArray("decode");
            for (int c : concurrency) {
                double[] rates = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    long start = System.nanoTime();
                    decode(runner, prompt.length, promptTable, c, decodeTokens, blockSize, privateBlocks);
                    rates[r] = (double) c * decodeTokens / seconds(start);
                    err.printf("decode concurrency %d: %.1f tokens/s%n", c, rates[r]);
                }
                decodeNode.addObject().put("concurrency", c).put("tokens_per_s", round(median(rates)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? mapper.writeValueAsString(result) : mapper.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result));
        out.flush();
        return 0;
    }

    private static void prefill(ModelRunner runner, int[] prompt, int[] table) {
        runner.forward(ForwardBatch.of(new SequenceChunk(prompt, 0, table)));
    }

    /**
     * Decodes {@code steps} tokens for {@code c} sequences over the shared prompt. The prompt's last,
     * partial block (if any) is copied per sequence by recomputing it, so shared blocks stay read-only.
     */
    private static void decode(ModelRunner runner, int promptLength, int[] promptTable, int c, int steps,
                               int blockSize, int privateBlocks) {
        int sharedBlocks = promptLength / blockSize;
        List<int[]> tables = new ArrayList<>();
        for (int s = 0; s < c; s++) {
            int[] table = new int[sharedBlocks + privateBlocks];
            System.arraycopy(promptTable, 0, table, 0, sharedBlocks);
            for (int i = 0; i < privateBlocks; i++) {
                table[sharedBlocks + i] = promptTable.length + s * privateBlocks + i;
            }
            tables.add(table);
        }
        int start = sharedBlocks * blockSize;
        if (start < promptLength) {
            List<SequenceChunk> tails = new ArrayList<>();
            for (int[] table : tables) {
                tails.add(new SequenceChunk(new int[promptLength - start], start, table));
            }
            runner.forward(new ForwardBatch(tails));
        }
        int[] tokens = new int[c];
        for (int step = 0; step < steps; step++) {
            List<SequenceChunk> batch = new ArrayList<>(c);
            for (int s = 0; s < c; s++) {
                batch.add(new SequenceChunk(new int[] {tokens[s]}, promptLength + step, tables.get(s)));
            }
            float[][] logits = runner.forward(new ForwardBatch(batch));
            for (int s = 0; s < c; s++) {
                tokens[s] = argmax(logits[s]);
            }
        }
    }

    private static int argmax(float[] v) {
        return io.prefixflow.runtime.sampling.Sampler.argmax(v);
    }

    private static int blocks(int tokens, int blockSize) {
        return (tokens + blockSize - 1) / blockSize;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
