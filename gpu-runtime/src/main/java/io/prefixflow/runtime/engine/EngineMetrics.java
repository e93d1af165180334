package io.prefixflow.runtime.engine;

import java.util.Objects;

/**
 * What the engine reports, as of its last step (exported later through Flink metric groups).
 *
 * @param numWaiting            requests waiting for admission, new or preempted
 * @param numRunning            requests holding KV blocks
 * @param numUsedBlocks         KV blocks referenced by running requests
 * @param numCachedBlocks       KV blocks holding a prefix-cache entry, referenced or not
 * @param numFreeBlocks         KV blocks no request references (empty or evictable cached)
 * @param peakUsedBlocks        most blocks referenced at once since the engine started
 * @param numPrefixLookups      prefix-cache lookups (one per admission, re-admissions included)
 * @param numPrefixLookupTokens tokens looked up
 * @param numPrefixHitTokens    of those, tokens found in the cache
 * @param numPreemptions        running requests preempted for lack of blocks
 * @param numFinished           requests finished, aborted or rejected
 * @param outstandingTokens     prompt tokens still to compute plus tokens still to generate, over the live requests
 *                              (see {@link SchedulerStats#outstandingTokens})
 * @param timeToFirstToken      submission to first sampled token, per request
 * @param timePerOutputToken    time between consecutive output tokens of a request
 */
public record EngineMetrics(int numWaiting, int numRunning, int numUsedBlocks, int numCachedBlocks,
                            int numFreeBlocks, int peakUsedBlocks, long numPrefixLookups,
                            long numPrefixLookupTokens, long numPrefixHitTokens, long numPreemptions,
                            long numFinished, long outstandingTokens, HistogramSnapshot timeToFirstToken,
                            HistogramSnapshot timePerOutputToken) {
    public EngineMetrics {
        Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
        Objects.requireNonNull(timePerOutputToken, "timePerOutputToken");
        if (numWaiting < 0 || numRunning < 0 || numUsedBlocks < 0 || numCachedBlocks < 0 || numFreeBlocks < 0
                || peakUsedBlocks < 0 || numPrefixLookups < 0 || numPrefixHitTokens < 0 || numPreemptions < 0
                || numFinished < 0 || outstandingTokens < 0) {
            throw new IllegalArgumentException("engine metrics must be >= 0");
        }
        if (numPrefixHitTokens > numPrefixLookupTokens) {
            throw new IllegalArgumentException("numPrefixHitTokens " + numPrefixHitTokens
                    + " exceeds numPrefixLookupTokens " + numPrefixLookupTokens);
        }
    }

    /** Fraction of looked-up prompt tokens served from the prefix cache; 0 before any lookup. */
    public double prefixHitRate() {
        return numPrefixLookupTokens == 0 ? 0 : (double) numPrefixHitTokens / numPrefixLookupTokens;
    }
}
