package io.prefixflow.jobs.routingsim;

import java.util.Map;

/**
 * One (parallelism, workload, mode) of a routing simulation, side by side with the ideal.
 *
 * @param parallelism           p
 * @param workload              its label
 * @param mode                  {@code cache-aware}, {@code prefix}, {@code round-robin} or {@code ideal}
 * @param requests              requests simulated
 * @param throughputPerS        requests per simulated second (first arrival to last finish)
 * @param throughputVsIdeal     throughput / the ideal's on the same arrivals
 * @param hitRate               cached prompt tokens / prompt tokens
 * @param hitRateVsSingleEngine hit rate / the ideal's (one cache with all the memory)
 * @param maxMeanLoad           max over subtasks of busy time / mean busy time
 * @param latencyP50Ms          median end-to-end latency, simulated ms
 * @param latencyP99Ms          99th percentile end-to-end latency, simulated ms
 * @param preemptions           preemptions over all subtasks
 * @param reasons               routing decisions by reason (metric names); empty for the ideal
 */
public record ModeResult(int parallelism, String workload, String mode, int requests, double throughputPerS,
                         double throughputVsIdeal, double hitRate, double hitRateVsSingleEngine, double maxMeanLoad,
                         double latencyP50Ms, double latencyP99Ms, long preemptions, Map<String, Long> reasons) {
    public ModeResult {
        reasons = Map.copyOf(reasons);
    }

    /** The metrics of {@code run}, relative to {@code ideal}. */
    static ModeResult of(int parallelism, SimWorkload workload, String mode, SimRun run, SimRun ideal,
                         Map<String, Long> reasons) {
        return new ModeResult(parallelism, workload.label(), mode, run.outcomes().size(), run.throughputPerS(),
                ratio(run.throughputPerS(), ideal.throughputPerS()), run.hitRate(),
                ratio(run.hitRate(), ideal.hitRate()), run.maxMeanLoad(), run.latencyMs(0.50),
                run.latencyMs(0.99), run.numPreemptions(), reasons);
    }

    private static double ratio(double value, double reference) {
        return reference == 0 ? (value == 0 ? 1 : Double.POSITIVE_INFINITY) : value / reference;
    }
}
