package io.prefixflow.runtime.engine;

/**
 * Counts of a {@link LatencyHistogram} at one moment.
 *
 * @param upperBoundsMs bucket {@code i} counts values {@code <= upperBoundsMs[i]} (and above the previous
 *                      bound); a last, extra count holds everything above the largest bound
 * @param counts        {@code upperBoundsMs.length + 1} counts
 * @param count         values recorded
 * @param sumMs         their sum
 */
public record HistogramSnapshot(double[] upperBoundsMs, long[] counts, long count, double sumMs) {
    public HistogramSnapshot {
        upperBoundsMs = upperBoundsMs.clone();
        counts = counts.clone();
        if (counts.length != upperBoundsMs.length + 1) {
            throw new IllegalArgumentException("counts needs one entry per bound plus one for overflow: "
                    + counts.length + " counts for " + upperBoundsMs.length + " bounds");
        }
    }

    /** Mean of the recorded values, 0 when there are none. */
    public double meanMs() {
        return count == 0 ? 0 : sumMs / count;
    }

    /**
     * The upper bound of the bucket holding the {@code q}-quantile (an over-estimate by at most one bucket);
     * infinity if it lies in the overflow bucket, 0 when empty.
     */
    public double quantileUpperBoundMs(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < upperBoundsMs.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return upperBoundsMs[i];
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
