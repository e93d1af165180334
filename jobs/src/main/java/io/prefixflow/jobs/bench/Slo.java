package io.prefixflow.jobs.bench;

/**
 * Service-level objectives for goodput: a request is good when its TTFT and its TPOT are both at most these.
 * Parsed from {@code --slo ttft:MS,tpot:MS}; a part left out does not constrain.
 */
public record Slo(double ttftMs, double tpotMs) {
    /** No objective: every successful request is good. */
    public static final Slo NONE = new Slo(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    public Slo {
        if (!(ttftMs > 0) || !(tpotMs > 0)) {
            throw new IllegalArgumentException("--slo limits must be > 0 ms, got ttft " + ttftMs + ", tpot " + tpotMs);
        }
    }

    /** Parses {@code ttft:MS,tpot:MS} (either part may be left out). */
    public static Slo parse(String text) {
        double ttft = Double.POSITIVE_INFINITY;
        double tpot = Double.POSITIVE_INFINITY;
        for (String part : text.split(",")) {
            String[] kv = part.strip().split(":", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--slo " + text + ": expected ttft:MS,tpot:MS");
            }
            double value;
            try {
                value = Double.parseDouble(kv[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--slo " + text + ": " + kv[1] + " is not a number of ms");
            }
            switch (kv[0]) {
                case "ttft" -> ttft = value;
                case "tpot" -> tpot = value;
                default -> throw new IllegalArgumentException("--slo " + text + ": unknown objective " + kv[0]
                        + " (known: ttft, tpot)");
            }
        }
        return new Slo(ttft, tpot);
    }

    boolean met(RequestSample s) {
        return !s.error() && s.ttftMs() >= 0 && s.ttftMs() <= ttftMs && s.tpotMs() <= tpotMs;
    }
}
