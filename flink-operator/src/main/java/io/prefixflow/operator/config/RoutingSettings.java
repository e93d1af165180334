package io.prefixflow.operator.config;

import io.prefixflow.operator.routing.CacheAwareConfig;
import io.prefixflow.operator.routing.CacheAwareRouter;
import io.prefixflow.operator.routing.FingerprintRouter;
import io.prefixflow.operator.routing.RoundRobinRouter;
import io.prefixflow.operator.routing.Router;
import java.io.Serializable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The checked routing options ({@code prefixflow.routing.*}); every check names the option key.
 *
 * @param mode                 {@link InferenceOptions#ROUTING_MODE}
 * @param prefixBlocks         {@link InferenceOptions#ROUTING_PREFIX_BLOCKS} (PREFIX mode)
 * @param indexCapacity        {@link InferenceOptions#ROUTING_INDEX_CAPACITY}, block hashes
 * @param balanceAbsTokens     {@link InferenceOptions#ROUTING_BALANCE_ABS}, tokens
 * @param balanceRel           {@link InferenceOptions#ROUTING_BALANCE_REL}, factor
 * @param loadHalfLifeMs       {@link InferenceOptions#ROUTING_LOAD_HALF_LIFE} in ms
 * @param replicaIdleTimeoutMs {@link InferenceOptions#ROUTING_REPLICA_IDLE_TIMEOUT} in ms
 * @param loadReportIntervalMs {@link InferenceOptions#ROUTING_LOAD_REPORT_INTERVAL} in ms, 0 for none
 */
public record RoutingSettings(RoutingMode mode, int prefixBlocks, int indexCapacity, int balanceAbsTokens,
                              double balanceRel, long loadHalfLifeMs, long replicaIdleTimeoutMs,
                              long loadReportIntervalMs)
        implements Serializable {
    public RoutingSettings {
        if (mode == null) {
            throw new IllegalArgumentException(InferenceOptions.ROUTING_MODE.key() + " must be set");
        }
        check(prefixBlocks >= 1, InferenceOptions.ROUTING_PREFIX_BLOCKS.key() + " must be >= 1, got " + prefixBlocks);
        check(indexCapacity >= 1, InferenceOptions.ROUTING_INDEX_CAPACITY.key() + " must be >= 1, got "
                + indexCapacity);
        check(balanceAbsTokens >= 0, InferenceOptions.ROUTING_BALANCE_ABS.key() + " must be >= 0 tokens, got "
                + balanceAbsTokens);
        check(balanceRel >= 1.0 && !Double.isInfinite(balanceRel), InferenceOptions.ROUTING_BALANCE_REL.key()
                + " must be a finite factor >= 1, got " + balanceRel);
        check(loadHalfLifeMs >= 1, InferenceOptions.ROUTING_LOAD_HALF_LIFE.key() + " must be >= 1 ms, got "
                + loadHalfLifeMs + " ms");
        check(replicaIdleTimeoutMs >= 1, InferenceOptions.ROUTING_REPLICA_IDLE_TIMEOUT.key()
                + " must be >= 1 ms, got " + replicaIdleTimeoutMs + " ms");
        check(loadReportIntervalMs >= 0, InferenceOptions.ROUTING_LOAD_REPORT_INTERVAL.key()
                + " must be >= 0 ms, got " + loadReportIntervalMs + " ms");
    }

    /** Reads and checks the routing options, defaults included. */
    public static RoutingSettings from(ReadableConfig config) {
        return new RoutingSettings(
                config.get(InferenceOptions.ROUTING_MODE),
                config.get(InferenceOptions.ROUTING_PREFIX_BLOCKS),
                config.get(InferenceOptions.ROUTING_INDEX_CAPACITY),
                config.get(InferenceOptions.ROUTING_BALANCE_ABS),
                config.get(InferenceOptions.ROUTING_BALANCE_REL),
                config.get(InferenceOptions.ROUTING_LOAD_HALF_LIFE).toMillis(),
                config.get(InferenceOptions.ROUTING_REPLICA_IDLE_TIMEOUT).toMillis(),
                config.get(InferenceOptions.ROUTING_LOAD_REPORT_INTERVAL).toMillis());
    }

    /** The cache-aware router's part. */
    public CacheAwareConfig cacheAwareConfig() {
        return new CacheAwareConfig(indexCapacity, balanceAbsTokens, balanceRel, loadHalfLifeMs,
                replicaIdleTimeoutMs, mode == RoutingMode.CACHE_AWARE ? loadReportIntervalMs : 0);
    }

    /**
     * The router of one prepare subtask.
     *
     * @param numSubtasks    inference subtasks
     * @param maxParallelism their max parallelism
     * @param numRouters     prepare subtasks
     * @param routerIndex    this prepare subtask's index
     * @param blockSize      tokens per KV block
     */
    public Router newRouter(int numSubtasks, int maxParallelism, int numRouters, int routerIndex, int blockSize) {
        return switch (mode) {
            case CACHE_AWARE -> new CacheAwareRouter(cacheAwareConfig(), numSubtasks, numRouters, routerIndex,
                    blockSize);
            case PREFIX -> new FingerprintRouter(numSubtasks, maxParallelism, blockSize, prefixBlocks);
            case ROUND_ROBIN -> new RoundRobinRouter(numSubtasks, routerIndex);
        };
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
