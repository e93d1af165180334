package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.jobs.bench.JitSettle;
import io.prefixflow.runtime.cpu.MachineLimits;
import io.prefixflow.runtime.tensor.WeightMatrices;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.runner.SharedPromptDecode;
import java.io.PrintWriter;
import java.util.Arrays;
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
 * runs after a warm-up that repeats each part until the JIT has settled ({@link SharedPromptDecode#warmUp}).
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

    @Option(names = "--no-machine-probe",
            description = "Skip measuring the machine's FMA peak and read bandwidth (a few seconds, CPU backend).")
    boolean noMachineProbe;

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
        SharedPromptDecode workload = new SharedPromptDecode(blockSize, promptTokens, decodeTokens);
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
        long bytesPerToken = model.weights().bytesPerToken();
        long flopsPerToken = model.weights().matmulFlopsPerToken();
        result.putObject("weights").put("bytes_per_token", bytesPerToken).put("matmul_flops_per_token", flopsPerToken);
        result.put("kv_dtype", modelOptions.kvDtype().cliName());
        MachineLimits limits = null;
        if ("cpu".equals(modelOptions.backend)) {
            err.println("kernels: batch tile " + WeightMatrices.batchTile());
        }
        if (!noMachineProbe && "cpu".equals(modelOptions.backend)) {
            err.println("measuring the machine (FMA peak, read bandwidth)...");
            limits = MachineLimits.measure(modelOptions.threads);
            result.putObject("machine").put("cpu_model", limits.cpuModel()).put("vector_bits", limits.vectorBits())
                    .put("fma_gflops_per_core", round(limits.fmaGflopsPerCore()))
                    .put("fma_gflops_threads", round(limits.fmaGflops(modelOptions.threads)))
                    .put("read_gbps", round(limits.readGBps())).put("probe_threads", limits.threads())
                    .put("batch_tile", WeightMatrices.batchTile());
        }
        try (ModelRunner runner = modelOptions.openRunner(model, workload.numBlocks(maxConcurrency))) {
            SharedPromptDecode.GreedyStep step = SharedPromptDecode.argmaxOf(runner);
            err.println("warming up (each part until a run is within 5 % of the one before)...");
            int[] warmUpRuns = workload.warmUp(step, prompt, concurrency, Math.min(16, decodeTokens));
            ArrayNode warmUpNode = result.putArray("warm_up_runs");
            Arrays.stream(warmUpRuns).forEach(warmUpNode::add);
            // then, as bench does, until the compiler threads stop taking the cores the timed runs need
            JitSettle.Result jit = JitSettle.awaitBeforeMeasuring();
            err.println(jit.summary());
            result.put("jit_quiet_after_warm_up", jit.settled());
            double[] prefillRates = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                workload.prefill(step, prompt);
                prefillRates[r] = promptTokens / seconds(start);
                err.printf("prefill %d tokens: %.1f tokens/s%n", promptTokens, prefillRates[r]);
            }
            double prefill = SharedPromptDecode.median(prefillRates);
            result.put("prefill_tokens_per_s", round(prefill));
            if (limits != null) {
                result.put("prefill_fraction_of_fma_peak",
                        round3(prefill * flopsPerToken / 1e9 / limits.fmaGflops(modelOptions.threads)));
            }
            ArrayNode decodeNode = result.putArray("decode");
            for (int c : concurrency) {
                double[] rates = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    long start = System.nanoTime();
                    workload.decode(step, c, decodeTokens);
                    rates[r] = (double) c * decodeTokens / seconds(start);
                    err.printf("decode concurrency %d: %.1f tokens/s%n", c, rates[r]);
                }
                double rate = SharedPromptDecode.median(rates);
                ObjectNode figure = decodeNode.addObject().put("concurrency", c).put("tokens_per_s", round(rate));
                // one step reads every weight once for all c sequences
                double weightGBps = rate / c * bytesPerToken / 1e9;
                figure.put("weight_read_gbps", round(weightGBps));
                if (limits != null) {
                    figure.put("fraction_of_read_bandwidth", round3(weightGBps / limits.readGBps()));
                    figure.put("fraction_of_fma_peak",
                            round3(rate * flopsPerToken / 1e9 / limits.fmaGflops(modelOptions.threads)));
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? mapper.writeValueAsString(result) : mapper.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result));
        out.flush();
        return 0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
