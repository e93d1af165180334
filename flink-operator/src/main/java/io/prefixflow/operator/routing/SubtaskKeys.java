package io.prefixflow.operator.routing;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * One key per inference subtask, chosen so that Flink's key groups send key {@code i} to subtask {@code i}: the
 * prepare stage picks a subtask and emits its key, and {@code keyBy} delivers the request there.
 *
 * <p>NOTE: routing by a chosen key rather than a custom partitioner keeps the inference operator keyed, so it
 * keeps its place in Flink's key-group model: max parallelism, rescaling from a savepoint and the existing
 * operator uids all stay as they were. The table is rebuilt at every start from the current parallelism, so
 * after a rescale the keys point at the new subtasks. It assumes that the prepare stage and the inference
 * operator share parallelism and max parallelism, as the job builds them.
 */
public final class SubtaskKeys {
    private final String[] keys;

    /**
     * @param parallelism    subtasks of the keyed inference operator
     * @param maxParallelism its max parallelism (number of key groups)
     */
    public SubtaskKeys(int parallelism, int maxParallelism) {
        if (parallelism < 1 || maxParallelism < parallelism) {
            throw new IllegalArgumentException("need 1 <= parallelism <= maxParallelism, got " + parallelism
                    + " and " + maxParallelism);
        }
        keys = new String[parallelism];
        int found = 0;
        for (int candidate = 0; found < parallelism; candidate++) {
            String key = "subtask-" + candidate;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
            if (keys[subtask] == null) {
                keys[subtask] = key;
                found++;
            }
        }
    }

    /** The key that lands on {@code subtask}. */
    public String keyOf(int subtask) {
        return keys[subtask];
    }

    /** Number of subtasks. */
    public int size() {
        return keys.length;
    }
}
