package io.prefixflow.jobs.routingsim;

import java.util.List;

/**
 * What one simulation run produced.
 *
 * @param outcomes       every request, in finish order
 * @param busyMs         per subtask, the sum of its step times, simulated ms
 * @param numPreemptions preemptions over all subtasks
 * @param numSteps       engine steps over all subtasks
 */
public record SimRun(List<RequestOutcome> outcomes, double[] busyMs, long numPreemptions, long numSteps) {
    public SimRun {
        outcomes = List.copyOf(outcomes);
        busyMs = busyMs.clone();
    }

    /** First arrival to last finish, simulated ms. */
    public double makespanMs() {
        double first = Double.POSITIVE_INFINITY;
        double last = 0;
        for (RequestOutcome o : outcomes) {
            first = Math.min(first, o.arrivalMs());
            last = Math.max(last, o.finishMs());
        }
        return outcomes.isEmpty() ? 0 : last - first;
    }

    /** Requests per simulated second. */
    public double throughputPerS() {
        double makespanMs = makespanMs();
        return makespanMs <= 0 ? 0 : outcomes.size() * 1000.0 / makespanMs;
    }

    /** Cached prompt tokens / prompt tokens. */
    public double hitRate() {
        long prompt = 0;
        long cached = 0;
        for (RequestOutcome o : outcomes) {
            prompt += o.promptTokens();
            cached += o.cachedPromptTokens();
        }
        return prompt == 0 ? 0 : (double) cached / prompt;
    }

    /** Max over subtasks of busy time / the mean busy time (1 = perfect balance). */
    public double maxMeanLoad() {
        double max = 0;
        double sum = 0;
        for (double b : busyMs) {
            max = Math.max(max, b);
            sum += b;
        }
        return sum == 0 ? 1 : max / (sum / busyMs.length);
    }

    /** The {@code q}-quantile (nearest rank) of end-to-end latency, simulated ms. */
    public double latencyMs(double q) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        double[] latencies = outcomes.stream().mapToDouble(RequestOutcome::latencyMs).sorted().toArray();
        int rank = (int) Math.ceil(q * latencies.length);
        return latencies[Math.max(0, Math.min(latencies.length - 1, rank - 1))];
    }
}
