package io.prefixflow.runtime.engine;

/**
 * Limits of one scheduler step.
 *
 * @param maxBatchedTokens most tokens (decodes plus prefill chunks) in one forward step
 *                         ({@code --max-batched-tokens}); a prompt longer than this is prefilled in chunks
 * @param maxRunning       most sequences holding KV blocks at once ({@code --max-running})
 * @param prefixCaching    whether computed full blocks are cached and reused ({@code --no-prefix-cache}
 *                         turns it off: then nothing is cached and every prompt is computed in full)
 */
public record SchedulerConfig(int maxBatchedTokens, int maxRunning, boolean prefixCaching) {
    /** 512 tokens per step, 64 running sequences, prefix caching on. */
    public static final SchedulerConfig DEFAULT = new SchedulerConfig(512, 64, true);

    public SchedulerConfig {
        if (maxBatchedTokens < 1) {
            throw new IllegalArgumentException("maxBatchedTokens (--max-batched-tokens) must be >= 1, got "
                    + maxBatchedTokens);
        }
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning (--max-running) must be >= 1, got " + maxRunning);
        }
    }

    public SchedulerConfig withMaxBatchedTokens(int tokens) {
        return new SchedulerConfig(tokens, maxRunning, prefixCaching);
    }

    public SchedulerConfig withMaxRunning(int sequences) {
        return new SchedulerConfig(maxBatchedTokens, sequences, prefixCaching);
    }

    public SchedulerConfig withPrefixCaching(boolean enabled) {
        return new SchedulerConfig(maxBatchedTokens, maxRunning, enabled);
    }
}
