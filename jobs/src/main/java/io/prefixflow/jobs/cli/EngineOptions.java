package io.prefixflow.jobs.cli;

import io.prefixflow.runtime.engine.SchedulerConfig;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.runner.KvDtype;
import picocli.CommandLine.Option;

/** Options of the serving engine: KV cache size and the scheduler's limits. */
final class EngineOptions {
    /** Default KV budget cap when {@code --kv-cache-bytes} is not given. */
    private static final long DEFAULT_KV_CAP_BYTES = 1L << 30;

    @Option(names = "--kv-cache-bytes", paramLabel = "BYTES",
            description = "KV cache size in bytes (default: a full context for every --max-running sequence,"
                    + " at most 1 GiB).")
    Long kvCacheBytes;

    @Option(names = "--max-batched-tokens", paramLabel = "N",
            description = "Most tokens per engine step; longer prompts are prefilled in chunks (default 512).")
    int maxBatchedTokens = SchedulerConfig.DEFAULT.maxBatchedTokens();

    @Option(names = "--max-running", paramLabel = "N",
            description = "Most sequences running at once (default 64).")
    int maxRunning = SchedulerConfig.DEFAULT.maxRunning();

    @Option(names = "--no-prefix-cache", description = "Do not cache or reuse the KV of shared prompt prefixes.")
    boolean noPrefixCache;

    SchedulerConfig schedulerConfig() {
        return new SchedulerConfig(maxBatchedTokens, maxRunning, !noPrefixCache);
    }

    /**
     * KV blocks for this model on {@code backend}, stored as {@code kvDtype}: from {@code --kv-cache-bytes}, or the
     * default in its help.
     */
    int numBlocks(Backend backend, KvDtype kvDtype, ModelConfig config, int blockSize) {
        if (kvCacheBytes != null) {
            if (kvCacheBytes < 1) {
                throw new IllegalArgumentException("--kv-cache-bytes must be >= 1, got " + kvCacheBytes);
            }
            return backend.blocksForBudget(config, blockSize, kvCacheBytes, kvDtype);
        }
        long blocksPerContext = (config.contextLength() + blockSize - 1) / blockSize;
        long wanted = Math.max(1, maxRunning) * blocksPerContext;
        long capped = backend.blocksForBudget(config, blockSize, DEFAULT_KV_CAP_BYTES, kvDtype);
        return (int) Math.min(Integer.MAX_VALUE, Math.min(wanted, capped));
    }
}
