package io.prefixflow.operator.routing;

/**
 * One router's estimate of the outstanding work of each inference subtask, in tokens.
 *
 * <p>Work is added when a request is routed and retired by exponential decay with a fixed half-life: a subtask
 * is modelled as draining its backlog at a rate proportional to it. NOTE: the prepare stage sees no completions
 * (Flink 2 has no feedback edges), so it cannot know the real service rate; a linear retirement at a guessed
 * rate either empties the estimate (rate too high: no balancing at all) or never retires it (too low). Decay is
 * the same factor for every subtask, so the ratios and order of the loads, which is what the balance rule reads,
 * do not depend on the service rate at all; the half-life only sets how long a burst is remembered.
 */
final class LoadEstimate {
    private final double[] loadTokens;
    private final double halfLifeMs;
    private long lastMs;
    private boolean started;

    LoadEstimate(int numSubtasks, long halfLifeMs) {
        if (halfLifeMs <= 0) {
            throw new IllegalArgumentException("halfLifeMs must be > 0, got " + halfLifeMs);
        }
        this.loadTokens = new double[numSubtasks];
        this.halfLifeMs = halfLifeMs;
    }

    /** Retires work up to {@code nowMs}; a clock that steps back retires nothing. */
    void decayTo(long nowMs) {
        if (!started) {
            started = true;
            lastMs = nowMs;
            return;
        }
        if (nowMs <= lastMs) {
            return;
        }
        double factor = Math.pow(0.5, (nowMs - lastMs) / halfLifeMs);
        for (int i = 0; i < loadTokens.length; i++) {
            loadTokens[i] *= factor;
        }
        lastMs = nowMs;
    }

    double load(int subtask) {
        return loadTokens[subtask];
    }

    /** The work of all subtasks together: the recent work of every request this router routed. */
    double total() {
        double total = 0;
        for (double load : loadTokens) {
            total += load;
        }
        return total;
    }

    void add(int subtask, double workTokens) {
        loadTokens[subtask] += workTokens;
    }
}
