package io.prefixflow.kv.pool;

import io.prefixflow.kv.hash.BlockHash;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Physical KV block ids {@code 0 .. numBlocks-1} with reference counts, an LRU free list and the
 * prefix cache index. The KV data lives in the model runner; this class only decides which block id
 * holds what and who may use it.
 *
 * <p>Every block is in exactly one of three states:
 * <pre>
 *   state        refCount  in free list  hash        tryAllocate() may take it
 *   referenced     &gt;= 1        no        optional    no
 *   cached-free      0         yes        yes         yes, evicting its hash (LRU first)
 *   empty-free       0         yes        no          yes
 * </pre>
 *
 * <p>The free list holds both kinds of free blocks in least-recently-released order:
 * <pre>
 *   head (LRU)                                                  tail (MRU)
 *     b7(cached) &lt;-&gt; b2 &lt;-&gt; b9(cached) &lt;-&gt; ... &lt;-&gt; b4(cached)
 *     ^ tryAllocate() takes the head        release() to refCount 0 appends here ^
 *     retain() of a cached-free block (a cache hit) unlinks it from anywhere in O(1)
 * </pre>
 * Callers freeing a request's blocks should release them last block first: the tail of a sequence
 * then sits nearer the head and is evicted before the prefix it extends, which other requests are more
 * likely to share.
 *
 * <p>Expected capacity limits are return values ({@code -1}); misuse (releasing an unreferenced block,
 * reviving an empty one, an id out of range) throws with a message that names the block. Per-block
 * operations allocate nothing. Not thread-safe: one engine thread owns the pool.
 */
public final class BlockPool {
    private final int numBlocks;
    private final int[] refCounts;
    private final boolean[] cached;
    private final long[] hashHi;
    private final long[] hashLo;
    private final FreeBlockQueue freeQueue;
    private final BlockHashIndex hashIndex;
    private int numCachedBlocks;
    private long numEvictions;

    /** A pool whose blocks are all free and empty, block 0 first in line. */
    public BlockPool(int numBlocks) {
        if (numBlocks < 1) {
            throw new IllegalArgumentException("numBlocks must be >= 1, got " + numBlocks);
        }
        this.numBlocks = numBlocks;
        refCounts = new int[numBlocks];
        cached = new boolean[numBlocks];
        hashHi = new long[numBlocks];
        hashLo = new long[numBlocks];
        freeQueue = new FreeBlockQueue(numBlocks);
        hashIndex = new BlockHashIndex(numBlocks);
    }

    /**
     * Takes the least recently used free block and gives it reference count 1. If it was cached, its
     * hash leaves the cache first (an eviction).
     *
     * @return the block id, or {@code -1} when every block is referenced
     */
    public int tryAllocate() {
        int blockId = freeQueue.pollFirst();
        if (blockId < 0) {
            return -1;
        }
        if (cached[blockId]) {
            uncache(blockId);
            numEvictions++;
        }
        refCounts[blockId] = 1;
        return blockId;
    }

    /**
     * Adds a reference. A cached block at reference count 0 leaves the free list (a cache hit).
     *
     * @throws IllegalStateException if the block is free and not cached: its content is undefined
     */
    public void retain(int blockId) {
        checkBlockId(blockId);
        if (refCounts[blockId] == 0) {
            if (!cached[blockId]) {
                throw new IllegalStateException("block " + blockId
                        + " is free and not cached, so its content is undefined; take blocks with tryAllocate()");
            }
            freeQueue.remove(blockId);
        }
        refCounts[blockId]++;
    }

    /**
     * Drops a reference. At reference count 0 the block goes to the free list's tail (most recently
     * used); a cached block keeps its hash until it is evicted or revived.
     *
     * @throws IllegalStateException if the block has no reference to drop (a double free)
     */
    public void release(int blockId) {
        checkBlockId(blockId);
        if (refCounts[blockId] == 0) {
            throw new IllegalStateException(
                    "block " + blockId + " released at reference count 0 (freed twice or never allocated)");
        }
        if (--refCounts[blockId] == 0) {
            freeQueue.addLast(blockId);
        }
    }

    /**
     * Marks a referenced block, whose KV is fully computed, as holding the content with this hash.
     *
     * <p>If another block already holds the hash, that one stays the cached copy and this block stays
     * uncached (the caller keeps using it privately). Caching a block again under its own hash is a
     * no-op.
     *
     * @return the block that holds {@code hash} after the call: {@code blockId}, or the existing holder
     * @throws IllegalStateException if the block is unreferenced or already cached under another hash
     */
    public int cache(int blockId, BlockHash hash) {
        checkBlockId(blockId);
        Objects.requireNonNull(hash, "hash");
        if (refCounts[blockId] == 0) {
            throw new IllegalStateException("block " + blockId + " must be referenced to be cached");
        }
        if (cached[blockId]) {
            if (hashHi[blockId] == hash.hi() && hashLo[blockId] == hash.lo()) {
                return blockId;
            }
            throw new IllegalStateException("block " + blockId + " is already cached under "
                    + new BlockHash(hashHi[blockId], hashLo[blockId]) + ", cannot cache it under " + hash);
        }
        int existing = hashIndex.putIfAbsent(hash.hi(), hash.lo(), blockId);
        if (existing >= 0) {
            return existing;
        }
        cached[blockId] = true;
        hashHi[blockId] = hash.hi();
        hashLo[blockId] = hash.lo();
        numCachedBlocks++;
        return blockId;
    }

    /** The block caching this hash, or {@code -1}; changes no reference count and no LRU position. */
    public int lookup(BlockHash hash) {
        Objects.requireNonNull(hash, "hash");
        return hashIndex.get(hash.hi(), hash.lo());
    }

    /**
     * Walks {@code hashes} in order and returns the blocks of the longest run that is cached, retaining
     * each; the caller owns one reference per returned block.
     */
    public int[] matchPrefix(List<BlockHash> hashes) {
        return matchPrefix(hashes, hashes.size());
    }

    /** As {@link #matchPrefix(List)}, looking at no more than the first {@code maxBlocks} hashes. */
    public int[] matchPrefix(List<BlockHash> hashes, int maxBlocks) {
        int numMatched = numCachedPrefixBlocks(hashes, maxBlocks);
        int[] blockIds = new int[numMatched];
        for (int i = 0; i < numMatched; i++) {
            blockIds[i] = lookup(hashes.get(i));
            retain(blockIds[i]);
        }
        return blockIds;
    }

    /** Length of the cached run at the start of {@code hashes}, at most {@code maxBlocks}; retains nothing. */
    public int numCachedPrefixBlocks(List<BlockHash> hashes, int maxBlocks) {
        if (maxBlocks < 0) {
            throw new IllegalArgumentException("maxBlocks must be >= 0, got " + maxBlocks);
        }
        int limit = Math.min(maxBlocks, hashes.size());
        int numMatched = 0;
        while (numMatched < limit && lookup(hashes.get(numMatched)) >= 0) {
            numMatched++;
        }
        return numMatched;
    }

    /** Total physical blocks. */
    public int numBlocks() {
        return numBlocks;
    }

    /** Blocks with reference count 0: empty ones and evictable cached ones. */
    public int numFreeBlocks() {
        return freeQueue.size();
    }

    /** Blocks with at least one reference. */
    public int numUsedBlocks() {
        return numBlocks - freeQueue.size();
    }

    /** Blocks holding a cached hash, referenced or not. */
    public int numCachedBlocks() {
        return numCachedBlocks;
    }

    /** Cached blocks whose hash was dropped because {@link #tryAllocate()} reused them, since creation. */
    public long numEvictions() {
        return numEvictions;
    }

    public int refCount(int blockId) {
        checkBlockId(blockId);
        return refCounts[blockId];
    }

    public boolean isCached(int blockId) {
        checkBlockId(blockId);
        return cached[blockId];
    }

    /** The hash the block is cached under, if any; allocates, for diagnostics. */
    public Optional<BlockHash> cachedHash(int blockId) {
        checkBlockId(blockId);
        return cached[blockId] ? Optional.of(new BlockHash(hashHi[blockId], hashLo[blockId])) : Optional.empty();
    }

    /** Free block ids from the next to be taken to the last; allocates, for diagnostics and tests. */
    public int[] freeBlockIdsInLruOrder() {
        return freeQueue.toArray();
    }

    @Override
    public String toString() {
        return "BlockPool[numBlocks=" + numBlocks + ", numFreeBlocks=" + numFreeBlocks()
                + ", numCachedBlocks=" + numCachedBlocks + ", numEvictions=" + numEvictions + "]";
    }

    private void uncache(int blockId) {
        hashIndex.remove(hashHi[blockId], hashLo[blockId]);
        cached[blockId] = false;
        numCachedBlocks--;
    }

    private void checkBlockId(int blockId) {
        if (blockId < 0 || blockId >= numBlocks) {
            throw new IndexOutOfBoundsException(
                    "blockId " + blockId + " is out of range [0, " + numBlocks + ")");
        }
    }
}
