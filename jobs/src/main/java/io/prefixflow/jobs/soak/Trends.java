package io.prefixflow.jobs.soak;

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

    static List<Sample> afterWarmUp(List<Sample> samples, double warmUpS) {
        return samples.stream().filter(s -> s.elapsedS() >= warmUpS).toList();
    }
}
