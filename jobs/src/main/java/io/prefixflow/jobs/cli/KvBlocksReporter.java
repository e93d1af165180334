package io.prefixflow.jobs.cli;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter, for {@code bench} on its in-process MiniCluster, that keeps the
 * {@code peakUsedKvBlocks} gauges of the inference subtasks so the run can read them before it cancels
 * the job. NOTE: static, because Flink instantiates reporters itself; {@code bench} runs one job at a time
 * and calls {@link #reset()} before each.
 */
public final class KvBlocksReporter implements MetricReporter {
    /** Name under which {@code bench} configures it: {@code metrics.reporter.<NAME>.factory.class}. */
    static final String NAME = "prefixflowbench";
    private static final List<Gauge<?>> PEAKS = new CopyOnWriteArrayList<>();

    static void reset() {
        PEAKS.clear();
    }

    /** Sum over the subtasks of each engine's peak of used KV blocks, or -1 when no gauge was reported. */
    static long sumOfPeaks() {
        if (PEAKS.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (Gauge<?> g : PEAKS) {
            Object v = g.getValue();
            sum += v instanceof Number n ? n.longValue() : 0;
        }
        return sum;
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if ("peakUsedKvBlocks".equals(metricName) && metric instanceof Gauge<?> gauge) {
            PEAKS.add(gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    }

    /** Creates the reporter; listed in {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new KvBlocksReporter();
        }
    }
}
