package io.prefixflow.runtime.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket histogram of latencies in milliseconds: one writer (the engine thread), any number of
 * readers. Recording allocates nothing.
 *
 * <p>NOTE: buckets are fixed so that snapshots from different engines (Flink subtasks) add up bucket by
 * bucket, as Prometheus histograms do.
 */
public final class LatencyHistogram {
    /** 1-2-5 steps from 1 ms to 60 s. */
    public static final double[] DEFAULT_BOUNDS_MS = {
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 60_000};

    private final double[] upperBoundsMs;
    private final AtomicLongArray counts;
    private final AtomicLong count = new AtomicLong();
    /** Sum in nanoseconds, so that it is a long the writer can add to atomically. */
    private final AtomicLong sumNanos = new AtomicLong();

    public LatencyHistogram() {
        this(DEFAULT_BOUNDS_MS);
    }

    /** @param upperBoundsMs strictly increasing, positive bucket bounds */
    public LatencyHistogram(double[] upperBoundsMs) {
        for (int i = 0; i < upperBoundsMs.length; i++) {
            if (!(upperBoundsMs[i] > 0) || (i > 0 && !(upperBoundsMs[i] > upperBoundsMs[i - 1]))) {
                throw new IllegalArgumentException("bucket bounds must be positive and strictly increasing;"
                        + " bound " + i + " is " + upperBoundsMs[i]);
            }
        }
        this.upperBoundsMs = upperBoundsMs.clone();
        this.counts = new AtomicLongArray(upperBoundsMs.length + 1);
    }

    /** Records one latency of {@code nanos} nanoseconds (negative values count as 0). */
    public void recordNanos(long nanos) {
        long clamped = Math.max(0, nanos);
        double ms = clamped / 1e6;
        int bucket = 0;
        while (bucket < upperBoundsMs.length && ms > upperBoundsMs[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        count.incrementAndGet();
        sumNanos.addAndGet(clamped);
    }

    /** The counts now; concurrent recording may make {@code count} differ from the bucket sum by a few. */
    public HistogramSnapshot snapshot() {
        long[] copy = new long[counts.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts.get(i);
        }
        return new HistogramSnapshot(upperBoundsMs, copy, count.get(), sumNanos.get() / 1e6);
    }
}
