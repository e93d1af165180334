package io.prefixflow.runtime.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharedPromptDecodeTest {
    @Test
    void sequencesShareThePromptsFullBlocksAndOwnTheRest() {
        // 40-token prompt, block size 16: blocks 0 and 1 are full and shared, block 2 is partial.
        SharedPromptDecode workload = new SharedPromptDecode(16, 40, 30);
        assertEquals(3, workload.promptBlocks());
        assertEquals(3, workload.privateBlocksPerSequence()); // positions 32..69 span blocks 2, 3, 4
        assertEquals(3 + 2 * 3, workload.numBlocks(2));
        List<ForwardBatch> steps = new ArrayList<>();
        SharedPromptDecode.GreedyStep recorder = batch -> {
            steps.add(batch);
            return new int[batch.sequences().size()];
        };
        workload.prefill(recorder, new int[40]);
        workload.decode(recorder, 2, 30);
        assertArrayEquals(new int[] {0, 1, 2}, steps.get(0).sequences().get(0).blockTable());
        ForwardBatch tails = steps.get(1);
        assertEquals(8, tails.sequences().get(0).tokenIds().length, "the partial block is recomputed privately");
        assertEquals(1 + 1 + 30, steps.size());
        Set<Integer> privateBlocks = new HashSet<>();
        for (SequenceChunk seq : steps.get(steps.size() - 1).sequences()) {
            int[] table = seq.blockTable();
            assertEquals(0, table[0]);
            assertEquals(1, table[1]);
            for (int i = 2; i < table.length; i++) {
                assertTrue(table[i] >= 3 && table[i] < workload.numBlocks(2));
                assertTrue(privateBlocks.add(table[i]), "block " + table[i] + " belongs to one sequence only");
            }
            assertEquals(69, seq.startPosition());
        }
    }

    /** Runs a warm-up whose i-th run "takes" {@code durations[i]} ns on a clock that only the runs advance. */
    private static int warmUpRuns(long... durations) {
        long[] now = {0};
        int[] run = {0};
        return SharedPromptDecode.untilSteady(() -> now[0] += durations[run[0]++], () -> now[0]);
    }

    @Test
    void warmUpRepeatsUntilARunIsNoLongerMuchFasterThanTheOneBefore() {
        assertEquals(2, warmUpRuns(100, 100), "steady from the start: the two runs it always takes");
        assertEquals(2, warmUpRuns(100, 96), "4 % faster counts as steady");
        assertEquals(4, warmUpRuns(300, 200, 150, 149), "still compiling: 1.5x, 1.33x, then steady");
        assertEquals(3, warmUpRuns(100, 90, 120), "a slower run ends it too");
        assertEquals(SharedPromptDecode.MAX_WARM_UP_RUNS, warmUpRuns(900, 800, 700, 600, 500, 400, 300, 200, 100),
                "at most MAX_WARM_UP_RUNS runs, steady or not");
    }

    @Test
    void warmUpRunsEveryPartWithItsOwnCount() {
        SharedPromptDecode workload = new SharedPromptDecode(16, 20, 4);
        List<Integer> batchSizes = new ArrayList<>();
        int[] runs = workload.warmUp(batch -> {
            batchSizes.add(batch.sequences().size());
            return new int[batch.sequences().size()];
        }, new int[20], new int[] {1, 3}, 4);
        assertEquals(3, runs.length, "prefill, then one entry per concurrency");
        for (int r : runs) {
            assertTrue(r >= 2 && r <= SharedPromptDecode.MAX_WARM_UP_RUNS, "runs " + r);
        }
        // prefill: one batch per run; decode at c: one tail batch and 4 steps per run
        assertEquals(runs[0] + 5 * runs[1] + 5 * runs[2], batchSizes.size());
        assertEquals(3, (int) batchSizes.get(batchSizes.size() - 1), "the last part decodes 3 sequences");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, SharedPromptDecode.median(new double[] {3, 1, 2}));
        assertEquals(2.5, SharedPromptDecode.median(new double[] {4, 1, 3, 2}));
    }
}
