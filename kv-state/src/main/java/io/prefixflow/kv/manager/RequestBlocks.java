package io.prefixflow.kv.manager;

import io.prefixflow.kv.hash.BlockHash;
import java.util.Arrays;

/**
 * One request's blocks, in logical order, and how far its block hashes have been committed.
 *
 * <pre>
 *   logical block:  0      1      2      3      4
 *   blockIds:      [b3]   [b8]   [b1]   [b6]   [b2]         numBlockIds = 5
 *                  |-hashed+cached-|  computed  |reserved|
 *                  numHashedBlocks = 3; lastHash = h[2]; numTokenSlots &lt;= 5 * blockSize
 * </pre>
 *
 * <p>The request holds exactly one pool reference per entry of {@code blockIds}. Mutable, owned by
 * {@link KvCacheManager}.
 */
final class RequestBlocks {
    final BlockHash namespace;
    private int[] blockIds;
    private int numBlockIds;
    /** Tokens the blocks are reserved for: the prompt plus every appended slot. */
    int numTokenSlots;
    /** Tokens whose KV is computed (cached prefix tokens count as computed). */
    int numComputedTokens;
    /** Leading full blocks whose hash is known; each was offered to the prefix cache. */
    int numHashedBlocks;
    /** Hash of block {@code numHashedBlocks - 1}, the parent of the next block to hash. */
    BlockHash lastHash;

    RequestBlocks(BlockHash namespace, int[] blockIds, int numBlockIds) {
        this.namespace = namespace;
        this.blockIds = blockIds;
        this.numBlockIds = numBlockIds;
    }

    int numBlockIds() {
        return numBlockIds;
    }

    int blockId(int logicalBlock) {
        return blockIds[logicalBlock];
    }

    void add(int blockId) {
        if (numBlockIds == blockIds.length) {
            blockIds = Arrays.copyOf(blockIds, Math.max(4, 2 * numBlockIds));
        }
        blockIds[numBlockIds++] = blockId;
    }

    int[] blockTable() {
        return Arrays.copyOf(blockIds, numBlockIds);
    }
}
