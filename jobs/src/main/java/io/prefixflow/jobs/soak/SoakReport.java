package io.prefixflow.jobs.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The outcome of a soak run, printed as one JSON line; the field names are a contract.
 *
 * @param durationS     seconds of production
 * @param ratePerSecond the requested rate
 * @param sent          requests sent
 * @param completed     requests with a committed completion seen, after the drain
 * @param jobState      the job's state at the end, before it was cancelled
 * @param restarts      the job's {@code numRestarts}
 * @param warmUpS       seconds left out of the slopes
 * @param samples       samples taken
 * @param p99Ms         p99 latency over every completion of the run
 * @param trends        per trended column, its least-squares slope per hour after the warm-up
 * @param first         the trended columns of the first sample after the warm-up (each one's first known value: a
 *                      p99 is unknown in an interval without completions)
 * @param last          the trended columns of the last sample (each one's last known value)
 */
public record SoakReport(double durationS, double ratePerSecond, long sent, long completed, String jobState,
                         long restarts, double warmUpS, int samples, double p99Ms, Map<String, LeastSquares> trends,
                         Map<String, Double> first, Map<String, Double> last) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests without a completion. */
    public long lost() {
        return sent - completed;
    }

    /** Whether every request completed and the job still ran. */
    public boolean clean() {
        return lost() == 0 && jobState.equals("RUNNING");
    }

    /**
     * One line: {@code {"duration_s":..,"rate":..,"sent":..,"completed":..,"lost":..,"job_state":..,
     * "restarts":..,"warmup_s":..,"samples":..,"p99_ms":..,"slopes_per_hour":{..},"slope_stderr_per_hour":{..},
     * "first":{..},"last":{..}}}; unknown numbers are null.
     */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("duration_s", round(durationS, 1));
        o.put("rate", ratePerSecond);
        o.put("sent", sent);
        o.put("completed", completed);
        o.put("lost", lost());
        o.put("job_state", jobState);
        o.put("restarts", restarts);
        o.put("warmup_s", round(warmUpS, 1));
        o.put("samples", samples);
        putNumber(o, "p99_ms", p99Ms);
        ObjectNode slopes = o.putObject("slopes_per_hour");
        ObjectNode errors = o.putObject("slope_stderr_per_hour");
        for (Map.Entry<String, LeastSquares> e : trends.entrySet()) {
            putNumber(slopes, e.getKey(), e.getValue().slope());
            putNumber(errors, e.getKey(), e.getValue().slopeStdError());
        }
        ObjectNode f = o.putObject("first");
        first.forEach((k, v) -> putNumber(f, k, v));
        ObjectNode l = o.putObject("last");
        last.forEach((k, v) -> putNumber(l, k, v));
        return o.toString();
    }

    private static void putNumber(ObjectNode o, String key, double value) {
        if (Double.isFinite(value)) {
            o.put(key, round(value, 3));
        } else {
            o.putNull(key);
        }
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
