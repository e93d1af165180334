package io.prefixflow.runtime.engine;

import io.prefixflow.kv.manager.KvCacheStats;
import java.util.Objects;

/**
 * A snapshot of the scheduler's queues and counters.
 *
 * @param numWaiting      requests waiting for admission (new or preempted)
 * @param numRunning      requests holding KV blocks
 * @param numPreemptions  preemptions since creation
 * @param peakUsedBlocks  most blocks referenced at once after any step's planning, since creation
 * @param outstandingTokens prompt tokens still to compute (a waiting request's past what the cache held when it
 *                        was queued) plus tokens still to generate, over every live request
 * @param kv              the KV cache's block counts and prefix-cache counters
 */
public record SchedulerStats(int numWaiting, int numRunning, long numPreemptions, int peakUsedBlocks,
                             long outstandingTokens, KvCacheStats kv) {
    public SchedulerStats {
        Objects.requireNonNull(kv, "kv");
        if (numWaiting < 0 || numRunning < 0 || numPreemptions < 0 || peakUsedBlocks < 0 || outstandingTokens < 0) {
            throw new IllegalArgumentException("counts must be >= 0: numWaiting " + numWaiting + ", numRunning "
                    + numRunning + ", numPreemptions " + numPreemptions + ", peakUsedBlocks " + peakUsedBlocks
                    + ", outstandingTokens " + outstandingTokens);
        }
    }
}
