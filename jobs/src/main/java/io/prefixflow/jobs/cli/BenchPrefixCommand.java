package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.runtime.engine.Engine;
import io.prefixflow.runtime.engine.EngineMetrics;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.engine.RequestHandle;
import io.prefixflow.runtime.engine.SchedulerConfig;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ModelRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-prefix}: the shared-prefix workload (QA over shared documents) through the engine, with
 * the prefix cache on and then off, in one run and at one KV budget.
 *
 * <p>{@code --groups} random documents of {@code --prefix-tokens} tokens; each is followed by
 * {@code --prompts-per-group} random questions of {@code --suffix-tokens} tokens, and every prompt
 * generates up to {@code --output-tokens} tokens greedily (fewer only if the model samples a stop token;
 * the report gives the tokens actually generated). All prompts are submitted at once, group after group, as a
 * prefix-routed Flink subtask would receive them. Each mode runs on a fresh engine over the same runner
 * after one untimed warm-up.
 */
@Command(name = "bench-prefix", mixinStandardHelpOptions = true,
        description = "Shared-prefix workload with the prefix cache on vs off: throughput and peak KV blocks.")
final class BenchPrefixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--groups", paramLabel = "N", description = "Shared prefixes (default 8).")
    int groups = 8;

    @Option(names = "--prompts-per-group", paramLabel = "N", description = "Prompts per prefix (default 16).")
    int promptsPerGroup = 16;

    @Option(names = "--prefix-tokens", paramLabel = "N", description = "Shared prefix length (default 512).")
    int prefixTokens = 512;

    @Option(names = "--suffix-tokens", paramLabel = "N", description = "Unique suffix length (default 64).")
    int suffixTokens = 64;

    @Option(names = "--output-tokens", paramLabel = "N", description = "Tokens generated per prompt (default 64).")
    int outputTokens = 64;

    @Option(names = "--kv-cache-bytes", paramLabel = "BYTES",
            description = "KV cache size for both modes (default 512 MiB).")
    long kvCacheBytes = 512L << 20;

    @Option(names = "--max-batched-tokens", paramLabel = "N", description = "Tokens per engine step (default 512).")
    int maxBatchedTokens = 512;

    @Option(names = "--max-running", paramLabel = "N",
            description = "Most running sequences (default 256, vLLM's default, so that KV memory and not this cap"
                    + " decides the batch size).")
    int maxRunning = 256;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (groups < 1 || promptsPerGroup < 1 || prefixTokens < 1 || suffixTokens < 1 || outputTokens < 1) {
            throw new IllegalArgumentException(
                    "--groups, --prompts-per-group, --prefix-tokens, --suffix-tokens and --output-tokens must be >= 1");
        }
        if (modelOptions.contextLength == null) {
            modelOptions.contextLength = prefixTokens + suffixTokens + outputTokens;
        }
        Model model = modelOptions.load();
        int blockSize = modelOptions.blockSize;
        int numBlocks = modelOptions.backend().blocksForBudget(model.config(), blockSize, kvCacheBytes,
                modelOptions.kvDtype());
        List<EngineRequest> workload = workload(model.config().vocabSize());
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode report = mapper.createObjectNode();
        report.put("model", model.name());
        report.put("threads", modelOptions.threads);
        report.put("requests", workload.size());
        report.put("prefix_tokens", prefixTokens);
        report.put("suffix_tokens", suffixTokens);
        report.put("output_tokens", outputTokens);
        report.put("kv_blocks", numBlocks);
        report.put("block_size", blockSize);
        report.put("max_batched_tokens", maxBatchedTokens);
        report.put("max_running", maxRunning);
        try (ModelRunner runner = modelOptions.openRunner(model, numBlocks)) {
            err.println("warming up...");
            run(model, runner, true, workload.subList(0, Math.min(2, workload.size())));
            ObjectNode on = run(model, runner, true, workload).toJson(mapper);
            err.println("prefix cache on:  " + on);
            ObjectNode off = run(model, runner, false, workload).toJson(mapper);
            err.println("prefix cache off: " + off);
            report.set("prefix_cache_on", on);
            report.set("prefix_cache_off", off);
            report.put("request_throughput_ratio",
                    round(off.get("seconds").asDouble() / on.get("seconds").asDouble()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? mapper.writeValueAsString(report)
                : mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        out.flush();
        return 0;
    }

    private List<EngineRequest> workload(int vocabSize) {
        SplittableRandom random = new SplittableRandom(20240601);
        List<EngineRequest> requests = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int[] prefix = random.ints(prefixTokens, 3, vocabSize).toArray();
            for (int p = 0; p < promptsPerGroup; p++) {
                int[] prompt = java.util.Arrays.copyOf(prefix, prefixTokens + suffixTokens);
                for (int i = 0; i < suffixTokens; i++) {
                    prompt[prefixTokens + i] = 3 + random.nextInt(vocabSize - 3);
                }
                requests.add(EngineRequest.greedy("g" + g + "-p" + p, prompt, outputTokens));
            }
        }
        return requests;
    }

    private Outcome run(Model model, ModelRunner runner, boolean prefixCaching, List<EngineRequest> requests) {
        SchedulerConfig config = new SchedulerConfig(maxBatchedTokens, maxRunning, prefixCaching);
        try (Engine engine = Engine.start(model, runner, config)) {
            long startNanos = System.nanoTime();
            List<RequestHandle> handles = new ArrayList<>(requests.size());
            for (EngineRequest request : requests) {
                handles.add(engine.submit(request));
            }
            long outputTokens = 0;
            int errors = 0;
            for (RequestHandle handle : handles) {
                EngineResult result = handle.result().join();
                outputTokens += result.tokenIds().length;
                if (result.errorMessage() != null) {
                    errors++;
                    spec.commandLine().getErr().println(result.errorMessage());
                }
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return new Outcome(requests.size(), outputTokens, errors, seconds, engine.metrics());
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Four significant digits, so that slow runs do not round to 0. */
    private static double significant(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    /** A histogram bound, or null when the quantile lies above the largest bucket (JSON has no infinity). */
    private static void putBound(ObjectNode node, String key, double boundMs) {
        if (Double.isInfinite(boundMs)) {
            node.putNull(key);
        } else {
            node.put(key, boundMs);
        }
    }

    /** One mode's figures. */
    private record Outcome(int numRequests, long numOutputTokens, int numErrors, double seconds,
                           EngineMetrics metrics) {
        ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode node = mapper.createObjectNode();
            node.put("seconds", round(seconds));
            node.put("requests_per_s", significant(numRequests / seconds));
            node.put("output_tokens_per_s", significant(numOutputTokens / seconds));
            node.put("output_tokens", numOutputTokens);
            node.put("errors", numErrors);
            node.put("peak_kv_blocks", metrics.peakUsedBlocks());
            node.put("prefix_hit_tokens", metrics.numPrefixHitTokens());
            node.put("prefix_lookup_tokens", metrics.numPrefixLookupTokens());
            node.put("preemptions", metrics.numPreemptions());
            putBound(node, "ttft_p50_ms_at_most", metrics.timeToFirstToken().quantileUpperBoundMs(0.5));
            putBound(node, "ttft_p90_ms_at_most", metrics.timeToFirstToken().quantileUpperBoundMs(0.9));
            node.put("tpot_mean_ms", round(metrics.timePerOutputToken().meanMs()));
            return node;
        }
    }
}
