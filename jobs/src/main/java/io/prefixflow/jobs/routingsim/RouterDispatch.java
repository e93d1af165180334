package io.prefixflow.jobs.routingsim;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.operator.config.RoutingSettings;
import io.prefixflow.operator.routing.RouteRequest;
import io.prefixflow.operator.routing.Router;
import io.prefixflow.operator.routing.RoutingDecision;
import io.prefixflow.operator.routing.RoutingReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Dispatch through the job's real routers: r prepare subtasks (the job runs r = inference parallelism p), request
 * i goes to router {@code i mod r} (as Kafka partitions are spread over prepare subtasks), each router its own
 * instance from {@link RoutingSettings#newRouter} with {@code numRouters = r}, and the router's clock is the simulated arrival
 * time in ms. Max parallelism is Flink's default for p (what the job runs with). Counts the decision reasons.
 */
public final class RouterDispatch implements Dispatch {
    private static final BlockHash NAMESPACE = BlockHasher.namespace(SimEngine.MODEL_ID, "");

    private final Router[] routers;
    private final Map<RoutingReason, Long> reasons = new EnumMap<>(RoutingReason.class);

    /**
     * @param settings    the routing options, mode included
     * @param parallelism p
     * @param numRouters  r
     * @param blockSize   tokens per KV block
     */
    public RouterDispatch(RoutingSettings settings, int parallelism, int numRouters, int blockSize) {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
        routers = new Router[numRouters];
        for (int r = 0; r < numRouters; r++) {
            routers[r] = settings.newRouter(parallelism, maxParallelism, numRouters, r, blockSize);
        }
    }

    @Override
    public int subtaskOf(int index, SimRequest request, double nowMs) {
        RoutingDecision decision = routers[index % routers.length].route(
                new RouteRequest(request.cacheKey(), request.promptTokens(), request.maxTokens(), NAMESPACE),
                (long) nowMs);
        reasons.merge(decision.reason(), 1L, Long::sum);
        return decision.subtask();
    }

    /** Decisions so far by reason. */
    public Map<RoutingReason, Long> reasons() {
        return Map.copyOf(reasons);
    }
}
