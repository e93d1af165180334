package io.prefixflow.runtime.engine;

/**
 * Wall-clock timings of one request, each measured from {@link Engine#submit}.
 *
 * @param queuedMs           until it was first scheduled (0 if it never was)
 * @param timeToFirstTokenMs until its first token was sampled (0 if none was)
 * @param totalMs            until it finished
 */
public record Timings(double queuedMs, double timeToFirstTokenMs, double totalMs) {
    public Timings {
        if (!(queuedMs >= 0) || !(timeToFirstTokenMs >= 0) || !(totalMs >= 0)) {
            throw new IllegalArgumentException("timings must be >= 0 ms: queuedMs " + queuedMs
                    + ", timeToFirstTokenMs " + timeToFirstTokenMs + ", totalMs " + totalMs);
        }
    }
}
