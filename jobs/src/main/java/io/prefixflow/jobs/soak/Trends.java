package io.prefixflow.jobs.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The least-squares trend per hour of every trended column ({@link Sample#trended}) after the warm-up. */
final class Trends {
    private Trends() {
    }

    /**
     * @param samples  every sample, in time order
     * @param warmUpS  samples before this many seconds are left out
     * @return per column, its slope in column units per hour
     */
    static Map<String, LeastSquares> perHour(List<Sample> samples, double warmUpS) {
        List<Map<String, Double>> rows = afterWarmUp(samples, warmUpS).stream().map(Sample::columns).toList();
        Map<String, LeastSquares> out = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        double[] hours = rows.stream().mapToDouble(r -> r.get("t_s") / 3600.0).toArray();
        for (String column : rows.get(0).keySet()) {
            if (Sample.trended(column)) {
                double[] ys = rows.stream().mapToDouble(r -> r.getOrDefault(column, Double.NaN)).toArray();
                out.put(column, LeastSquares.fit(hours, ys));
            }
        }
        return out;
    }

    /**
     * Each trended column's first known value in {@code samples} (NaN where none knows it): a p99 is unknown in an
     * interval without completions, which on a slow machine can be the first one after the warm-up.
     */
    static Map<String, Double> firstKnown(List<Sample> samples) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Sample s : samples) {
            s.columns().forEach((column, value) -> {
                if (Sample.trended(column)) {
                    out.merge(column, value, (known, next) -> Double.isNaN(known) ? next : known);
                }
            });
        }
        return out;
    }

    /** Each trended column's last known value in {@code samples}, as {@link #firstKnown} from the end. */
    static Map<String, Double> lastKnown(List<Sample> samples) {
        List<Sample> backwards = new ArrayList<>(samples);
        Collections.reverse(backwards);
        return firstKnown(backwards);
    }

    static List<Sample> afterWarmUp(List<Sample> samples, double warmUpS) {
        return samples.stream().filter(s -> s.elapsedS() >= warmUpS).toList();
    }
}
