package io.prefixflow.jobs.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Mean and percentiles of a set of values, in the values' unit (ms here).
 * Percentiles interpolate linearly between the closest ranks (numpy's default): for sorted values
 * {@code x[0..n-1]}, {@code p} is at rank {@code r = p/100 * (n - 1)}, and the result is
 * {@code x[floor r] + (r - floor r) * (x[floor r + 1] - x[floor r])}. All fields are NaN for no values.
 */
public record Distribution(int count, double mean, double p50, double p90, double p99) {
    /** Of {@code values}. */
    public static Distribution of(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Distribution(sorted.length, Arrays.stream(sorted).average().orElseThrow(),
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99));
    }

    /** The {@code p}-th percentile of ascending {@code sorted} values (see the class comment). */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0 || p < 0 || p > 100) {
            throw new IllegalArgumentException("need values and 0 <= p <= 100, got " + sorted.length + " values, p " + p);
        }
        double rank = p / 100 * (sorted.length - 1);
        int lower = (int) Math.floor(rank);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }
}
