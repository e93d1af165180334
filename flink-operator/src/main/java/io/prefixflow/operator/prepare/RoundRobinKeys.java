package io.prefixflow.operator.prepare;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Routing keys for {@code ROUND_ROBIN} routing: one key per downstream subtask, chosen so that Flink's key
 * groups send key {@code i} to subtask {@code i}, handed out in turn. NOTE: a plain counter or a request
 * hash as key spreads only statistically (key-group hashing); these keys spread exactly evenly.
 */
public final class RoundRobinKeys {
    private final String[] keys;
    private long next;

    /**
     * @param parallelism    subtasks of the keyed inference operator
     * @param maxParallelism its max parallelism (number of key groups)
     * @param start          where this instance starts in the cycle (e.g. its own subtask index)
     */
    public RoundRobinKeys(int parallelism, int maxParallelism, int start) {
        if (parallelism < 1 || maxParallelism < parallelism) {
            throw new IllegalArgumentException("need 1 <= parallelism <= maxParallelism, got " + parallelism
                    + " and " + maxParallelism);
        }
        keys = new String[parallelism];
        int found = 0;
        for (int candidate = 0; found < parallelism; candidate++) {
            String key = "round-robin-" + candidate;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
            if (keys[subtask] == null) {
                keys[subtask] = key;
                found++;
            }
        }
        next = Math.floorMod(start, parallelism);
    }

    /** The key of the next subtask in turn. */
    public String next() {
        String key = keys[(int) (next % keys.length)];
        next++;
        return key;
    }
}
