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
 *
 * <p>Load reports as the job sends them ({@code prefixflow.routing.load-report-interval}): at the first arrival
 * at least one interval after the last report, every subtask's {@link SimEngine#outstandingTokens() outstanding
 * work} as of then reaches every router; in between, each router knows only what it sent since.
 */
public final class RouterDispatch implements Dispatch {
    private static final BlockHash NAMESPACE = BlockHasher.namespace(SimEngine.MODEL_ID, "");

    private final Router[] routers;
    private final long reportIntervalMs;
    private double nextReportMs = Double.NEGATIVE_INFINITY;
    private final Map<RoutingReason, Long> reasons = new EnumMap<>(RoutingReason.class);

    /**
     * @param settings    the routing options, mode included
     * @param parallelism p
     * @param numRouters  r
     * @param blockSize   tokens per KV block
     */
    public RouterDispatch(RoutingSettings settings, int parallelism, int numRouters, int blockSize) {
        this.reportIntervalMs = settings.loadReportIntervalMs();
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

    @Override
    public void observe(double nowMs, java.util.List<SimEngine> engines) {
        if (reportIntervalMs <= 0 || nowMs < nextReportMs) {
            return;
        }
        nextReportMs = nowMs + reportIntervalMs;
        for (SimEngine engine : engines) {
            long outstanding = engine.outstandingTokens();
            for (Router router : routers) {
                router.reportLoad(engine.subtask(), outstanding, (long) nowMs);
            }
        }
    }

    /** Decisions so far by reason. */
    public Map<RoutingReason, Long> reasons() {
        return Map.copyOf(reasons);
    }
}
