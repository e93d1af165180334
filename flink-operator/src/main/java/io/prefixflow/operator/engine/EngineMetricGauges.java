package io.prefixflow.operator.engine;

import io.prefixflow.runtime.engine.Engine;
import io.prefixflow.runtime.engine.EngineMetrics;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Registers an engine's metrics in the operator's metric group {@code prefixflow}, so any Flink reporter
 * exports them: queue and running sequences, KV blocks, prefix-cache lookups and hits, preemptions,
 * finished requests, outstanding work in tokens, the operator's in-flight requests, and time-to-first-token and time-per-output-token
 * histograms (ms).
 */
public final class EngineMetricGauges {
    private EngineMetricGauges() {
    }

    /** Registers the gauges and histograms of {@code engine} under {@code operatorGroup}'s {@code prefixflow}. */
    public static void register(MetricGroup operatorGroup, Engine engine, IntSupplier inFlight) {
        MetricGroup group = operatorGroup.addGroup("prefixflow");
        group.gauge("inFlightRequests", (Gauge<Integer>) inFlight::getAsInt);
        longGauge(group, engine, "waitingRequests", EngineMetrics::numWaiting);
        longGauge(group, engine, "runningRequests", EngineMetrics::numRunning);
        longGauge(group, engine, "usedKvBlocks", EngineMetrics::numUsedBlocks);
        longGauge(group, engine, "cachedKvBlocks", EngineMetrics::numCachedBlocks);
        longGauge(group, engine, "freeKvBlocks", EngineMetrics::numFreeBlocks);
        longGauge(group, engine, "peakUsedKvBlocks", EngineMetrics::peakUsedBlocks);
        longGauge(group, engine, "prefixLookupTokens", EngineMetrics::numPrefixLookupTokens);
        longGauge(group, engine, "prefixHitTokens", EngineMetrics::numPrefixHitTokens);
        longGauge(group, engine, "preemptions", EngineMetrics::numPreemptions);
        longGauge(group, engine, "finishedRequests", EngineMetrics::numFinished);
        longGauge(group, engine, "outstandingTokens", EngineMetrics::outstandingTokens);
        doubleGauge(group, engine, "prefixHitRate", EngineMetrics::prefixHitRate);
        group.histogram("timeToFirstTokenMs", new EngineHistogram(() -> engine.metrics().timeToFirstToken()));
        group.histogram("timePerOutputTokenMs", new EngineHistogram(() -> engine.metrics().timePerOutputToken()));
    }

    private static void longGauge(MetricGroup group, Engine engine, String name, ToLongFunction<EngineMetrics> f) {
        group.gauge(name, (Gauge<Long>) () -> f.applyAsLong(engine.metrics()));
    }

    private static void doubleGauge(MetricGroup group, Engine engine, String name, ToDoubleFunction<EngineMetrics> f) {
        group.gauge(name, (Gauge<Double>) () -> f.applyAsDouble(engine.metrics()));
    }
}
