package io.prefixflow.kv.manager;

/**
 * A snapshot of the KV cache's counters. Block counts are current; the others count since creation.
 *
 * @param numBlocks             total physical blocks
 * @param numUsedBlocks         blocks referenced by at least one request
 * @param numFreeBlocks         blocks no request references (empty or evictable cached)
 * @param numCachedBlocks       blocks in the prefix cache, referenced or not
 * @param numEvictions          cached blocks whose content was dropped to reuse the block
 * @param numRunningRequests    requests currently holding blocks
 * @param numPrefixQueries      admitted requests (each looked up its prompt's prefix once)
 * @param numPrefixQueryTokens  prompt tokens of those requests
 * @param numPrefixHitTokens    of those, tokens found in the prefix cache (whole blocks)
 */
public record KvCacheStats(
        int numBlocks,
        int numUsedBlocks,
        int numFreeBlocks,
        int numCachedBlocks,
        long numEvictions,
        int numRunningRequests,
        long numPrefixQueries,
        long numPrefixQueryTokens,
        long numPrefixHitTokens) {

    public KvCacheStats {
        if (numUsedBlocks < 0 || numFreeBlocks < 0 || numUsedBlocks + numFreeBlocks != numBlocks) {
            throw new IllegalArgumentException("numUsedBlocks " + numUsedBlocks + " + numFreeBlocks "
                    + numFreeBlocks + " must be numBlocks " + numBlocks);
        }
        if (numCachedBlocks < 0 || numCachedBlocks > numBlocks) {
            throw new IllegalArgumentException(
                    "numCachedBlocks must be in [0, " + numBlocks + "], got " + numCachedBlocks);
        }
        if (numEvictions < 0 || numRunningRequests < 0 || numPrefixQueries < 0) {
            throw new IllegalArgumentException("counters must be >= 0: numEvictions " + numEvictions
                    + ", numRunningRequests " + numRunningRequests + ", numPrefixQueries " + numPrefixQueries);
        }
        if (numPrefixHitTokens < 0 || numPrefixHitTokens > numPrefixQueryTokens) {
            throw new IllegalArgumentException("numPrefixHitTokens must be in [0, numPrefixQueryTokens "
                    + numPrefixQueryTokens + "], got " + numPrefixHitTokens);
        }
    }

    /** Fraction of queried prompt tokens found in the cache; 0 before any query. */
    public double prefixHitRate() {
        return numPrefixQueryTokens == 0 ? 0.0 : (double) numPrefixHitTokens / numPrefixQueryTokens;
    }
}
