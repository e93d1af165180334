package io.prefixflow.operator.routing;

/**
 * The knobs of {@link CacheAwareRouter}.
 *
 * @param indexCapacityEntries most block hashes one router remembers (LRU)
 * @param balanceAbsTokens     absolute balance threshold, tokens of outstanding work over the least loaded
 *                             subtask, summed over all routers (each router applies its share)
 * @param balanceRel           relative balance threshold, a factor over the least loaded subtask's work
 * @param loadHalfLifeMs       half-life of the outstanding-work estimate ({@link LoadEstimate})
 * @param replicaIdleTimeoutMs a replica not routed to for this long stops attracting its prefix
 * @param loadReportIntervalMs how often inference subtasks report their outstanding work; 0 when they do not
 */
public record CacheAwareConfig(int indexCapacityEntries, long balanceAbsTokens, double balanceRel,
                               long loadHalfLifeMs, long replicaIdleTimeoutMs, long loadReportIntervalMs) {
    public CacheAwareConfig {
        if (indexCapacityEntries < 1) {
            throw new IllegalArgumentException("indexCapacityEntries must be >= 1, got " + indexCapacityEntries);
        }
        if (balanceAbsTokens < 0) {
            throw new IllegalArgumentException("balanceAbsTokens must be >= 0, got " + balanceAbsTokens);
        }
        if (!(balanceRel >= 1.0) || Double.isInfinite(balanceRel)) {
            throw new IllegalArgumentException("balanceRel must be a finite factor >= 1, got " + balanceRel);
        }
        if (loadHalfLifeMs < 1) {
            throw new IllegalArgumentException("loadHalfLifeMs must be >= 1, got " + loadHalfLifeMs);
        }
        if (loadReportIntervalMs < 0) {
            throw new IllegalArgumentException("loadReportIntervalMs must be >= 0, got " + loadReportIntervalMs);
        }
        if (replicaIdleTimeoutMs < 1) {
            throw new IllegalArgumentException("replicaIdleTimeoutMs must be >= 1, got " + replicaIdleTimeoutMs);
        }
    }
}
