package io.prefixflow.runtime.engine;

import java.util.Locale;

/**
 * Scheduling class of a request: every waiting {@link #LATENCY} request is admitted before any
 * {@link #THROUGHPUT} one, and under memory pressure throughput requests are preempted first. Within a
 * class requests are served first come, first served.
 */
public enum Priority {
    /** Interactive traffic: admitted first, preempted last. */
    LATENCY,
    /** Batch traffic: fills whatever capacity latency requests leave. */
    THROUGHPUT;

    /** Parses {@code latency} or {@code throughput}, in any case. */
    public static Priority parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("priority must be LATENCY or THROUGHPUT, got \"" + name + "\"", e);
        }
    }
}
