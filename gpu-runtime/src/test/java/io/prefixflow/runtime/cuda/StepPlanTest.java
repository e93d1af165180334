package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.RopeStyle;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StepPlanTest {
    /** 4 query heads over 2 KV heads: group size 2. */
    private static final ModelConfig CONFIG =
            new ModelConfig(32, 64, 1, 4, 2, 100, 64, 1e-5f, 10_000f, RopeStyle.ADJACENT_PAIRS);
    private static final int BLOCK_SIZE = 4;

    private static int[] section(StepPlan plan, int offset, int length) {
        return Arrays.copyOfRange(plan.packed, offset, offset + length);
    }

    @Test
    void packsAMixedPrefillAndDecodeBatch() {
        // A 10-token prefill chunk that continues a 3-token prefix, then a decode token at position 6.
        SequenceChunk prefill = new SequenceChunk(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 3, new int[] {7, 2, 5, 9, 0});
        SequenceChunk decode = new SequenceChunk(new int[] {42}, 6, new int[] {7, 3, 11});
        StepPlan plan = StepPlan.build(new ForwardBatch(java.util.List.of(prefill, decode)), CONFIG, BLOCK_SIZE, 12);

        assertEquals(11, plan.numTokens);
        assertEquals(2, plan.numSeqs);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42}, section(plan, plan.tokenIdsOffset, 11));
        assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 6}, section(plan, plan.positionsOffset, 11));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, section(plan, plan.tokenSeqOffset, 11));
        assertArrayEquals(new int[] {0, 10, 11}, section(plan, plan.seqTokenStartOffset, 3));
        assertArrayEquals(new int[] {3, 6}, section(plan, plan.seqStartPosOffset, 2));
        assertArrayEquals(new int[] {9, 10}, section(plan, plan.lastTokenOffset, 2));
        // Positions 0..12 need 4 blocks of 4; positions 0..6 need 2: only those are uploaded.
        assertArrayEquals(new int[] {0, 4}, section(plan, plan.seqTableOffsetOffset, 2));
        assertArrayEquals(new int[] {7, 2, 5, 9, 7, 3}, section(plan, plan.blockTablesOffset, 6));
        // Rows: 10 tokens x 2 heads = 20 rows -> tiles at rows 0 and 16; the decode token's 2 rows -> one tile.
        assertEquals(3, plan.numWorkItems);
        assertArrayEquals(new int[] {0, 0, 0, 16, 1, 0}, section(plan, plan.workItemsOffset, 6));
        assertEquals(plan.blockTablesOffset + 6, plan.length);
    }

    @Test
    void sectionsDoNotOverlap() {
        StepPlan plan = StepPlan.build(ForwardBatch.of(new SequenceChunk(new int[] {5}, 0, new int[] {0})),
                CONFIG, BLOCK_SIZE, 1);
        int[] offsets = {plan.tokenIdsOffset, plan.positionsOffset, plan.tokenSeqOffset, plan.seqTokenStartOffset,
                plan.seqStartPosOffset, plan.seqTableOffsetOffset, plan.lastTokenOffset, plan.workItemsOffset,
                plan.blockTablesOffset, plan.length};
        int[] sizes = {1, 1, 1, 2, 1, 1, 1, 2, 1};
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(offsets[i] + sizes[i], offsets[i + 1], "section " + i);
        }
    }

    @Test
    void rejectsWhatTheCpuRunnerRejects() {
        IllegalArgumentException beyondContext = assertThrows(IllegalArgumentException.class, () -> StepPlan.build(
                ForwardBatch.of(new SequenceChunk(new int[] {1}, 64, new int[17])), CONFIG, BLOCK_SIZE, 20));
        assertTrue(beyondContext.getMessage().contains("context length 64"), beyondContext.getMessage());

        IllegalArgumentException shortTable = assertThrows(IllegalArgumentException.class, () -> StepPlan.build(
                ForwardBatch.of(new SequenceChunk(new int[] {1, 2}, 3, new int[] {0})), CONFIG, BLOCK_SIZE, 20));
        assertTrue(shortTable.getMessage().contains("needs 2 blocks"), shortTable.getMessage());

        IllegalArgumentException badBlock = assertThrows(IllegalArgumentException.class, () -> StepPlan.build(
                ForwardBatch.of(new SequenceChunk(new int[] {1}, 0, new int[] {20})), CONFIG, BLOCK_SIZE, 20));
        assertTrue(badBlock.getMessage().contains("outside [0, 20)"), badBlock.getMessage());

        IllegalArgumentException badToken = assertThrows(IllegalArgumentException.class, () -> StepPlan.build(
                ForwardBatch.of(new SequenceChunk(new int[] {100}, 0, new int[] {0})), CONFIG, BLOCK_SIZE, 20));
        assertTrue(badToken.getMessage().contains("outside the vocabulary"), badToken.getMessage());
    }
}
