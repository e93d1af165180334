package io.prefixflow.jobs.routingsim;

import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.operator.config.RoutingSettings;
import io.prefixflow.runtime.engine.SchedulerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every (parallelism, workload) of a {@link SimSettings}: first the ideal, p engines fed round-robin (perfect
 * balance) that share ONE KV cache of p times the blocks; then each routing mode (CACHE_AWARE, PREFIX,
 * ROUND_ROBIN) over p engines with a cache each, on the same requests at the same arrival times.
 *
 * <p>Offered load: unless the settings ask for a burst, the ideal is first run on a burst (everything at t = 0)
 * to measure its capacity C in requests/s; all runs then get Poisson arrivals at {@code load * C}.
 */
public final class RoutingSimulator {
    /** The compared modes, in output order. */
    public static final List<RoutingMode> MODES = List.of(RoutingMode.CACHE_AWARE, RoutingMode.PREFIX,
            RoutingMode.ROUND_ROBIN);

    private final SimSettings settings;
    private final CostModel cost;
    private final PrintWriter progress;

    /**
     * @param settings what to run
     * @param cost     step times
     * @param progress where a line per run goes (wall time), e.g. stderr
     */
    public RoutingSimulator(SimSettings settings, CostModel cost, PrintWriter progress) {
        this.settings = settings;
        this.cost = cost;
        this.progress = progress;
    }

    /** Everything, in (parallelism, workload, ideal then modes) order. */
    public List<ModeResult> run() {
        List<ModeResult> results = new ArrayList<>();
        for (int p : settings.parallelisms()) {
            for (SimWorkload workload : settings.workloads()) {
                results.addAll(run(p, workload));
            }
        }
        return results;
    }

    /** One (parallelism, workload): the ideal, then each mode. */
    public List<ModeResult> run(int p, SimWorkload workload) {
        List<SimRequest> requests = workload.generate(p * settings.requestsPerSubtask(), settings.seed());
        double rate = Double.POSITIVE_INFINITY;
        if (!settings.burst()) {
            SimRun capacity = timed(p, workload, "ideal capacity (burst)",
                    () -> ideal(p, ArrivalSchedule.apply(requests, Double.POSITIVE_INFINITY, settings.seed())));
            rate = settings.load() * capacity.throughputPerS();
        }
        List<SimRequest> arriving = ArrivalSchedule.apply(requests, rate, settings.seed());
        SimRun ideal = timed(p, workload, "ideal", () -> ideal(p, arriving));
        List<ModeResult> out = new ArrayList<>();
        out.add(ModeResult.of(p, workload, "ideal", ideal, ideal, Map.of()));
        for (RoutingMode mode : MODES) {
            RouterDispatch dispatch = new RouterDispatch(withMode(settings.routing(), mode), p, settings.routersAt(p),
                    settings.blockSize());
            SimRun run = timed(p, workload, mode.cliName(), () -> Simulation.run(arriving, engines(p, arriving), dispatch));
            Map<String, Long> reasons = new LinkedHashMap<>();
            dispatch.reasons().forEach((reason, count) -> reasons.put(reason.metricName(), count));
            out.add(ModeResult.of(p, workload, mode.cliName(), run, ideal, reasons));
        }
        return out;
    }

    /** The ideal: p engines sharing one cache of p times the blocks, fed round-robin. */
    private SimRun ideal(int p, List<SimRequest> requests) {
        int numBlocks = p * settings.kvBlocksPerSubtask();
        KvCacheManager shared = new KvCacheManager(new BlockPool(numBlocks), settings.blockSize());
        List<SimEngine> engines = new ArrayList<>(p);
        for (int s = 0; s < p; s++) {
            engines.add(new SimEngine(s, schedulerConfig(), shared, numBlocks, contextLength(requests), cost));
        }
        return Simulation.run(requests, engines, (index, request, nowMs) -> index % p);
    }

    private List<SimEngine> engines(int p, List<SimRequest> requests) {
        List<SimEngine> engines = new ArrayList<>(p);
        for (int s = 0; s < p; s++) {
            KvCacheManager kv = new KvCacheManager(new BlockPool(settings.kvBlocksPerSubtask()), settings.blockSize());
            engines.add(new SimEngine(s, schedulerConfig(), kv, settings.kvBlocksPerSubtask(),
                    contextLength(requests), cost));
        }
        return engines;
    }

    private SchedulerConfig schedulerConfig() {
        return new SchedulerConfig(settings.maxBatchedTokens(), settings.maxRunning(), true);
    }

    private static int contextLength(List<SimRequest> requests) {
        int max = 1;
        for (SimRequest r : requests) {
            max = Math.max(max, r.promptTokens().length + r.maxTokens());
        }
        return max;
    }

    private SimRun timed(int p, SimWorkload workload, String what, java.util.function.Supplier<SimRun> run) {
        long start = System.nanoTime();
        SimRun result = run.get();
        progress.printf(Locale.ROOT, "p=%d %s %s: %d requests, %d steps in %.1f s%n", p, workload.label(), what,
                result.outcomes().size(), result.numSteps(), (System.nanoTime() - start) / 1e9);
        progress.flush();
        return result;
    }

    private static RoutingSettings withMode(RoutingSettings s, RoutingMode mode) {
        return new RoutingSettings(mode, s.prefixBlocks(), s.indexCapacity(), s.balanceAbsTokens(), s.balanceRel(),
                s.loadHalfLifeMs(), s.replicaIdleTimeoutMs(), s.loadReportIntervalMs());
    }
}
