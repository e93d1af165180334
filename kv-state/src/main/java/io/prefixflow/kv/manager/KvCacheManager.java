package io.prefixflow.kv.manager;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.kv.pool.BlockPool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-request block tables over a {@link BlockPool}, with automatic prefix reuse. This is what a
 * scheduler calls; it knows nothing of batching or priorities.
 *
 * <p>Scheduling model: a request is a token sequence whose computed tokens catch up with its known
 * tokens under a per-step budget; prefill and decode are the same thing with different chunk sizes.
 * The manager only guarantees that every token slot the scheduler is about to compute has a block.
 *
 * <pre>
 *   int cached = kv.tryAllocate(id, prompt, namespace);     // -1: not enough blocks, retry later
 *   // compute prompt[cached ..] in chunks; after each chunk:
 *   kv.commitComputed(id, numComputed, tokens);             // newly full blocks join the prefix cache
 *   // each decode step:
 *   if (!kv.tryAppendSlots(id, 1)) { preempt someone: kv.free(victim) }
 *   kv.free(id);                                            // finished, aborted or preempted
 * </pre>
 *
 * <p><b>Ownership.</b> A request holds exactly one pool reference per entry of its block table. A cached
 * prefix block shared by two running requests therefore has reference count 2; it becomes evictable
 * only when both have freed it. Blocks a request allocated itself are private to it until
 * {@link #commitComputed} caches them; only full blocks are ever cached, so a request never writes
 * into a block another request can see.
 *
 * <p><b>The last prompt token is always computed.</b> The model must run on at least one prompt token
 * to produce the first output's logits, so a prompt of {@code n} tokens reuses at most
 * {@code floor((n - 1) / blockSize)} cached blocks. When the whole prompt is cached (n a multiple of the
 * block size), its last block is recomputed into a fresh private block, as vLLM does, rather than
 * recomputing one token inside a shared block. E.g. with block size 16, a fully cached 32-token prompt
 * reports 16 cached tokens; a prompt sharing 200 tokens with a cached one reports 192.
 *
 * <p>Failures that a scheduler plans for ({@link #tryAllocate}, {@link #tryAppendSlots}) are return
 * values and change nothing; misuse (unknown or duplicate request id, going backwards) throws.
 * Not thread-safe: the engine thread owns it.
 */
public final class KvCacheManager {
    private final BlockPool pool;
    private final int blockSize;
    private final Map<String, RequestBlocks> requests = new HashMap<>();
    private long numPrefixQueries;
    private long numPrefixQueryTokens;
    private long numPrefixHitTokens;

    /**
     * @param pool      the blocks to manage; nothing else may allocate from or release into it
     * @param blockSize tokens per block, the same as the model runner's
     */
    public KvCacheManager(BlockPool pool, int blockSize) {
        this.pool = Objects.requireNonNull(pool, "pool");
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be >= 1 tokens, got " + blockSize);
        }
        this.blockSize = blockSize;
    }

    /**
     * Admits a request: takes the longest cached prefix of its prompt (at most all but the last
     * token, see the class note) and allocates fresh blocks for the rest of the prompt. All or nothing.
     *
     * @param requestId      a request that holds no blocks now
     * @param promptTokenIds at least one token; after a preemption, the prompt plus the tokens generated so far
     * @param namespace      from {@link BlockHasher#namespace}: only blocks of the same namespace are reused
     * @return the number of leading prompt tokens already computed (a multiple of the block size), or
     *     {@code -1} when there are not enough free blocks; nothing changes then
     */
    public int tryAllocate(String requestId, int[] promptTokenIds, BlockHash namespace) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(namespace, "namespace");
        if (requests.containsKey(requestId)) {
            throw new IllegalStateException("request " + requestId + " already holds blocks; free it first");
        }
        if (promptTokenIds.length == 0) {
            throw new IllegalArgumentException("request " + requestId + " has an empty prompt");
        }
        List<BlockHash> hashes = BlockHasher.hashFullBlocks(promptTokenIds, blockSize, namespace);
        int numMatchedBlocks = numCachedPrefixBlocks(hashes, promptTokenIds.length);
        int numRevivedBlocks = 0;
        for (int i = 0; i < numMatchedBlocks; i++) {
            if (pool.refCount(pool.lookup(hashes.get(i))) == 0) {
                numRevivedBlocks++;
            }
        }
        int numBlocksTotal = ceilDiv(promptTokenIds.length, blockSize);
        int numNewBlocks = numBlocksTotal - numMatchedBlocks;
        // NOTE: reviving a cached free block takes it off the free list just like allocating does.
        if (numNewBlocks + numRevivedBlocks > pool.numFreeBlocks()) {
            return -1;
        }
        int[] blockIds = new int[numBlocksTotal];
        int[] matched = pool.matchPrefix(hashes, numMatchedBlocks);
        System.arraycopy(matched, 0, blockIds, 0, numMatchedBlocks);
        RequestBlocks request = new RequestBlocks(namespace, blockIds, numMatchedBlocks);
        for (int i = 0; i < numNewBlocks; i++) {
            request.add(allocateCheckedBlock());
        }
        int numCachedTokens = numMatchedBlocks * blockSize;
        request.numTokenSlots = promptTokenIds.length;
        request.numComputedTokens = numCachedTokens;
        request.numHashedBlocks = numMatchedBlocks;
        request.lastHash = numMatchedBlocks == 0 ? BlockHasher.ROOT_PARENT : hashes.get(numMatchedBlocks - 1);
        requests.put(requestId, request);
        numPrefixQueries++;
        numPrefixQueryTokens += promptTokenIds.length;
        numPrefixHitTokens += numCachedTokens;
        return numCachedTokens;
    }

    /**
     * How many leading tokens of a prompt the prefix cache holds now (a multiple of the block size, at most all
     * but the last token), without admitting anything: what {@link #tryAllocate} would find if called now.
     *
     * @param promptBlockHashes the chained hashes of the prompt's full blocks
     *                          ({@link BlockHasher#hashFullBlocks} with this manager's block size and namespace)
     * @param promptLength      the prompt's tokens
     */
    public int numCachedPrefixTokens(List<BlockHash> promptBlockHashes, int promptLength) {
        Objects.requireNonNull(promptBlockHashes, "promptBlockHashes");
        if (promptLength == 0) {
            return 0;
        }
        return numCachedPrefixBlocks(promptBlockHashes, promptLength) * blockSize;
    }

    /** Leading blocks of a prompt the cache holds, at most all but its last token's (see the class note). */
    private int numCachedPrefixBlocks(List<BlockHash> hashes, int promptLength) {
        return pool.numCachedPrefixBlocks(hashes, (promptLength - 1) / blockSize);
    }

    /**
     * Reserves slots for {@code numNewTokens} more tokens, taking a block each time the sequence crosses
     * a block boundary. All or nothing.
     *
     * @return false when there are not enough free blocks (the scheduler should preempt); nothing changes then
     */
    public boolean tryAppendSlots(String requestId, int numNewTokens) {
        RequestBlocks request = request(requestId);
        int numNewBlocks = numNewBlocksNeeded(request, numNewTokens);
        if (numNewBlocks > pool.numFreeBlocks()) {
            return false;
        }
        for (int i = 0; i < numNewBlocks; i++) {
            request.add(allocateCheckedBlock());
        }
        request.numTokenSlots += numNewTokens;
        return true;
    }

    /** Blocks {@link #tryAppendSlots} would take for {@code numNewTokens} more tokens. */
    public int numNewBlocksNeeded(String requestId, int numNewTokens) {
        return numNewBlocksNeeded(request(requestId), numNewTokens);
    }

    /**
     * Records that the KV of the first {@code numComputedTokens} tokens is computed and offers every newly
     * full block to the prefix cache. A block whose content another block already caches stays private.
     *
     * @param numComputedTokens at least the previous value, at most the reserved slots
     * @param tokenIds          the request's tokens (prompt, then generated), at least {@code numComputedTokens}
     *                          of them; these are the tokens the KV was computed from
     */
    public void commitComputed(String requestId, int numComputedTokens, int[] tokenIds) {
        RequestBlocks request = request(requestId);
        if (numComputedTokens < request.numComputedTokens || numComputedTokens > request.numTokenSlots) {
            throw new IllegalArgumentException("request " + requestId + ": numComputedTokens " + numComputedTokens
                    + " must be in [" + request.numComputedTokens + ", " + request.numTokenSlots + "]");
        }
        if (tokenIds.length < numComputedTokens) {
            throw new IllegalArgumentException("request " + requestId + ": " + tokenIds.length
                    + " token ids cannot cover numComputedTokens " + numComputedTokens);
        }
        int numFullBlocks = numComputedTokens / blockSize;
        for (int block = request.numHashedBlocks; block < numFullBlocks; block++) {
            BlockHash hash = BlockHasher.hashBlock(
                    request.lastHash, tokenIds, block * blockSize, blockSize, request.namespace);
            pool.cache(request.blockId(block), hash);
            request.lastHash = hash;
            request.numHashedBlocks = block + 1;
        }
        request.numComputedTokens = numComputedTokens;
    }

    /**
     * Releases every block of the request, last block first, so that its tail is evicted before the
     * prefix it extends. Use it for finished, aborted and preempted requests alike.
     */
    public void free(String requestId) {
        RequestBlocks request = request(requestId);
        requests.remove(requestId);
        for (int block = request.numBlockIds() - 1; block >= 0; block--) {
            pool.release(request.blockId(block));
        }
    }

    /** The request's physical block ids in logical order (a copy). */
    public int[] blockTable(String requestId) {
        return request(requestId).blockTable();
    }

    public boolean contains(String requestId) {
        return requests.containsKey(requestId);
    }

    /** Token slots the request's blocks are reserved for. */
    public int numTokenSlots(String requestId) {
        return request(requestId).numTokenSlots;
    }

    /** Tokens whose KV the request has computed, cached prefix included. */
    public int numComputedTokens(String requestId) {
        return request(requestId).numComputedTokens;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Blocks available to new allocations, evictable cached ones included. */
    public int numFreeBlocks() {
        return pool.numFreeBlocks();
    }

    public KvCacheStats stats() {
        return new KvCacheStats(
                pool.numBlocks(),
                pool.numUsedBlocks(),
                pool.numFreeBlocks(),
                pool.numCachedBlocks(),
                pool.numEvictions(),
                requests.size(),
                numPrefixQueries,
                numPrefixQueryTokens,
                numPrefixHitTokens);
    }

    private int numNewBlocksNeeded(RequestBlocks request, int numNewTokens) {
        if (numNewTokens < 0) {
            throw new IllegalArgumentException("numNewTokens must be >= 0, got " + numNewTokens);
        }
        return ceilDiv(request.numTokenSlots + numNewTokens, blockSize) - request.numBlockIds();
    }

    private int allocateCheckedBlock() {
        int blockId = pool.tryAllocate();
        if (blockId < 0) {
            throw new IllegalStateException(
                    "pool ran out of blocks after the free count was checked; is something else allocating from it?");
        }
        return blockId;
    }

    private RequestBlocks request(String requestId) {
        RequestBlocks request = requests.get(requestId);
        if (request == null) {
            throw new IllegalArgumentException("request " + requestId + " holds no blocks");
        }
        return request;
    }

    private static int ceilDiv(int numTokens, int blockSize) {
        return (numTokens + blockSize - 1) / blockSize;
    }
}
