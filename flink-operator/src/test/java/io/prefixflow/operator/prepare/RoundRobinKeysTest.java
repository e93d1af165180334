package io.prefixflow.operator.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class RoundRobinKeysTest {
    @Test
    void keysVisitEverySubtaskInTurn() {
        int parallelism = 3;
        RoundRobinKeys keys = new RoundRobinKeys(parallelism, 128, 1);
        for (int i = 0; i < 9; i++) {
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(keys.next(), 128, parallelism);
            assertEquals((1 + i) % parallelism, subtask);
        }
    }
}
