package io.prefixflow.jobs.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each request was sent and when its first committed completion was seen; the end-to-end latencies
 * (sent → seen) of the completions seen since the last {@link #drainInterval()}. Thread-safe: the producer,
 * the completion watcher and the sampler share it.
 */
final class LatencyTracker {
    private final Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final List<Double> intervalMs = new ArrayList<>();
    private final List<Double> allMs = new ArrayList<>();
    private long unknownCompletions;

    void sent(String id, long nanos) {
        sentAtNanos.put(id, nanos);
    }

    /** Records the completion of {@code id} seen at {@code nanos}; a repeated one counts once. */
    void completed(String id, long nanos) {
        Long sent = sentAtNanos.get(id);
        if (sent == null) {
            synchronized (this) {
                unknownCompletions++;
            }
            return;
        }
        if (completed.add(id)) {
            double ms = (nanos - sent) / 1e6;
            synchronized (this) {
                intervalMs.add(ms);
                allMs.add(ms);
            }
        }
    }

    int sentCount() {
        return sentAtNanos.size();
    }

    int completedCount() {
        return completed.size();
    }

    synchronized long unknownCompletions() {
        return unknownCompletions;
    }

    /** The latencies (ms) of the completions seen since the previous call, and forgets them. */
    synchronized List<Double> drainInterval() {
        List<Double> out = new ArrayList<>(intervalMs);
        intervalMs.clear();
        return out;
    }

    /** Every latency (ms) seen so far. */
    synchronized List<Double> all() {
        return new ArrayList<>(allMs);
    }

    /** The nearest-rank {@code q}-quantile of {@code values}, NaN when empty. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
