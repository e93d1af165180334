package io.prefixflow.operator.engine;

import io.prefixflow.runtime.engine.HistogramSnapshot;
import java.util.function.Supplier;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;

/**
 * One of the engine's latency histograms (milliseconds) as a Flink {@link Histogram}. The engine records the
 * values; {@link #update} is not used. Quantiles are bucket upper bounds (at most one bucket too high).
 */
final class EngineHistogram implements Histogram {
    private final Supplier<HistogramSnapshot> snapshots;

    EngineHistogram(Supplier<HistogramSnapshot> snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void update(long value) {
        throw new UnsupportedOperationException("the engine records this histogram itself");
    }

    @Override
    public long getCount() {
        return snapshots.get().count();
    }

    @Override
    public HistogramStatistics getStatistics() {
        HistogramSnapshot s = snapshots.get();
        return new HistogramStatistics() {
            @Override
            public double getQuantile(double quantile) {
                double bound = s.quantileUpperBoundMs(quantile);
                double[] bounds = s.upperBoundsMs();
                return Double.isInfinite(bound) && bounds.length > 0 ? bounds[bounds.length - 1] : bound;
            }

            @Override
            public long[] getValues() {
                return new long[0];
            }

            @Override
            public int size() {
                return (int) Math.min(Integer.MAX_VALUE, s.count());
            }

            @Override
            public double getMean() {
                return s.meanMs();
            }

            @Override
            public double getStdDev() {
                return 0;
            }

            @Override
            public long getMax() {
                return (long) Math.ceil(getQuantile(1));
            }

            @Override
            public long getMin() {
                return (long) Math.floor(s.count() == 0 ? 0 : getQuantile(0));
            }
        };
    }
}
