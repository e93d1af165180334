package io.prefixflow.runtime.runner;

/**
 * One sequence's share of a forward step: its new tokens, where they start, and its block table.
 *
 * <p>The tokens occupy positions {@code startPosition .. startPosition + tokenIds.length - 1}; the KV of
 * all earlier positions is already in the blocks. Position {@code p} lives in physical block
 * {@code blockTable[p / blockSize]}, slot {@code p % blockSize}; the table must cover every new position.
 *
 * @param tokenIds      a chunk of prompt tokens, or the one token to decode
 * @param startPosition position of {@code tokenIds[0]}
 * @param blockTable    physical block ids, logical block order
 */
public record SequenceChunk(int[] tokenIds, int startPosition, int[] blockTable) {
    public SequenceChunk {
        if (tokenIds.length == 0) {
            throw new IllegalArgumentException("a sequence chunk needs at least one token");
        }
        if (startPosition < 0) {
            throw new IllegalArgumentException("startPosition must be >= 0, got " + startPosition);
        }
    }

    /** Position after the chunk's last token. */
    public int endPosition() {
        return startPosition + tokenIds.length;
    }
}
