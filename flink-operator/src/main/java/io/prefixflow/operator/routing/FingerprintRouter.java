package io.prefixflow.operator.routing;

import io.prefixflow.operator.prepare.RoutingKeys;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * {@code PREFIX}: the subtask that Flink's key groups assign to the fixed fingerprint of the first k full blocks
 * ({@link RoutingKeys}), or to the cache_key. Every request with the same first k blocks meets on one subtask,
 * however hot that prefix is.
 */
public final class FingerprintRouter implements Router {
    private final int numSubtasks;
    private final int maxParallelism;
    private final int blockSize;
    private final int prefixBlocks;

    /**
     * @param numSubtasks    inference subtasks
     * @param maxParallelism their max parallelism (number of key groups)
     * @param blockSize      tokens per KV block
     * @param prefixBlocks   k
     */
    public FingerprintRouter(int numSubtasks, int maxParallelism, int blockSize, int prefixBlocks) {
        if (numSubtasks < 1 || maxParallelism < numSubtasks) {
            throw new IllegalArgumentException("need 1 <= numSubtasks <= maxParallelism, got " + numSubtasks
                    + " and " + maxParallelism);
        }
        this.numSubtasks = numSubtasks;
        this.maxParallelism = maxParallelism;
        this.blockSize = blockSize;
        this.prefixBlocks = prefixBlocks;
    }

    @Override
    public RoutingDecision route(RouteRequest request, long nowMs) {
        String key = RoutingKeys.routingKey(request.cacheKey(), request.promptTokens(), blockSize, prefixBlocks,
                request.namespace());
        int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, numSubtasks);
        return new RoutingDecision(subtask, RoutingReason.FINGERPRINT, 0, 0, 0);
    }
}
