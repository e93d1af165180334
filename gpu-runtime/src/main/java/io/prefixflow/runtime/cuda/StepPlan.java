package io.prefixflow.runtime.cuda;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.util.List;

/**
 * One forward step's metadata packed into a single int array, uploaded to the GPU with one copy.
 *
 * <pre>
 *  section            length        meaning
 *  tokenIds           T             token id of each new token, sequences concatenated in batch order
 *  positions          T             its position in its sequence
 *  tokenSeq           T             index of its sequence in the batch
 *  seqTokenStart      S + 1         first flattened token of each sequence; the last entry is T
 *  seqStartPos        S             position of each sequence's first new token
 *  seqTableOffset     S             where each sequence's block table starts in blockTables
 *  lastToken          S             flattened index of each sequence's last new token
 *  workItems          2 * W         attention tiles: (sequence, first row), rows = token x head-in-group
 *  blockTables        sum of tables each sequence's blocks that cover positions 0 .. endPosition - 1
 * </pre>
 *
 * Validation matches the CPU runner's: positions within the context, tables long enough, block ids and
 * token ids in range; messages name the sequence.
 */
final class StepPlan {
    final int numTokens;
    final int numSeqs;
    final int numWorkItems;
    final int tokenIdsOffset;
    final int positionsOffset;
    final int tokenSeqOffset;
    final int seqTokenStartOffset;
    final int seqStartPosOffset;
    final int seqTableOffsetOffset;
    final int lastTokenOffset;
    final int workItemsOffset;
    final int blockTablesOffset;
    /** The packed sections, in the order above; {@code length} is its size in ints. */
    final int[] packed;
    final int length;

    private StepPlan(int numTokens, int numSeqs, int numWorkItems, int tableInts) {
        this.numTokens = numTokens;
        this.numSeqs = numSeqs;
        this.numWorkItems = numWorkItems;
        tokenIdsOffset = 0;
        positionsOffset = tokenIdsOffset + numTokens;
        tokenSeqOffset = positionsOffset + numTokens;
        seqTokenStartOffset = tokenSeqOffset + numTokens;
        seqStartPosOffset = seqTokenStartOffset + numSeqs + 1;
        seqTableOffsetOffset = seqStartPosOffset + numSeqs;
        lastTokenOffset = seqTableOffsetOffset + numSeqs;
        workItemsOffset = lastTokenOffset + numSeqs;
        blockTablesOffset = workItemsOffset + 2 * numWorkItems;
        length = blockTablesOffset + tableInts;
        packed = new int[length];
    }

    /** Validates {@code batch} against the model and the KV pool and packs it. */
    static StepPlan build(ForwardBatch batch, ModelConfig config, int blockSize, int numBlocks) {
        List<SequenceChunk> seqs = batch.sequences();
        int numSeqs = seqs.size();
        int numTokens = 0;
        int numWorkItems = 0;
        int tableInts = 0;
        for (int s = 0; s < numSeqs; s++) {
            SequenceChunk chunk = seqs.get(s);
            validate(chunk, s, config, blockSize, numBlocks);
            numTokens += chunk.tokenIds().length;
            numWorkItems += LaunchGeometry.attentionTiles(chunk.tokenIds().length, config.groupSize());
            tableInts += blocksNeeded(chunk, blockSize);
        }
        StepPlan plan = new StepPlan(numTokens, numSeqs, numWorkItems, tableInts);
        int[] p = plan.packed;
        int t = 0;
        int item = 0;
        int table = 0;
        int rowsPerTile = LaunchGeometry.ATTENTION_ROWS_PER_BLOCK;
        for (int s = 0; s < numSeqs; s++) {
            SequenceChunk chunk = seqs.get(s);
            int n = chunk.tokenIds().length;
            p[plan.seqTokenStartOffset + s] = t;
            p[plan.seqStartPosOffset + s] = chunk.startPosition();
            p[plan.seqTableOffsetOffset + s] = table;
            for (int i = 0; i < n; i++, t++) {
                p[plan.tokenIdsOffset + t] = chunk.tokenIds()[i];
                p[plan.positionsOffset + t] = chunk.startPosition() + i;
                p[plan.tokenSeqOffset + t] = s;
            }
            p[plan.lastTokenOffset + s] = t - 1;
            int rows = n * config.groupSize();
            for (int firstRow = 0; firstRow < rows; firstRow += rowsPerTile, item++) {
                p[plan.workItemsOffset + 2 * item] = s;
                p[plan.workItemsOffset + 2 * item + 1] = firstRow;
            }
            int needed = blocksNeeded(chunk, blockSize);
            System.arraycopy(chunk.blockTable(), 0, p, plan.blockTablesOffset + table, needed);
            table += needed;
        }
        p[plan.seqTokenStartOffset + numSeqs] = t;
        return plan;
    }

    private static int blocksNeeded(SequenceChunk chunk, int blockSize) {
        return (chunk.endPosition() + blockSize - 1) / blockSize;
    }

    private static void validate(SequenceChunk chunk, int index, ModelConfig config, int blockSize, int numBlocks) {
        if (chunk.endPosition() > config.contextLength()) {
            throw new IllegalArgumentException("sequence " + index + " reaches position " + chunk.endPosition()
                    + ", beyond the context length " + config.contextLength());
        }
        int needed = blocksNeeded(chunk, blockSize);
        if (chunk.blockTable().length < needed) {
            throw new IllegalArgumentException("sequence " + index + " needs " + needed + " blocks for position "
                    + (chunk.endPosition() - 1) + " but its block table has " + chunk.blockTable().length);
        }
        for (int i = 0; i < needed; i++) {
            int block = chunk.blockTable()[i];
            if (block < 0 || block >= numBlocks) {
                throw new IllegalArgumentException("sequence " + index + " block table entry " + i + " = " + block
                        + " is outside [0, " + numBlocks + ")");
            }
        }
        for (int token : chunk.tokenIds()) {
            if (token < 0 || token >= config.vocabSize()) {
                throw new IllegalArgumentException("sequence " + index + " has token id " + token
                        + " outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
    }
}
