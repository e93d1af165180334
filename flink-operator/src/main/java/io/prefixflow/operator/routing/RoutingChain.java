package io.prefixflow.operator.routing;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import java.util.ArrayList;
import java.util.List;

/**
 * The hashes a cache-aware router indexes a request by, root first.
 *
 * <pre>
 *   no cache_key:  h[0] h[1] ... h[n-1]          = the engine's prefix-cache hashes of the n full prompt blocks
 *   cache_key c:   K    g[0] ... g[n-1]          K = hashKey(c), g chained from K instead of the fixed root
 * </pre>
 *
 * With a cache_key every request of one conversation or document shares at least the entry {@code K}, so it
 * stays with the subtask that holds its history even when the history's first block changes.
 *
 * @param hashes       the chain, root first; empty for a prompt shorter than one block without a cache_key
 * @param rootEntries  1 when the chain starts with a cache_key's hash, else 0
 * @param anchor       what a cold request is placed by: the first entry, or for an empty chain the hash of the
 *                     whole (short) prompt
 * @param promptTokens the prompt's length in tokens
 * @param blockSize    tokens per block
 */
public record RoutingChain(List<BlockHash> hashes, int rootEntries, BlockHash anchor, int promptTokens,
                           int blockSize) {

    /** The chain of a request. */
    public static RoutingChain of(RouteRequest request, int blockSize) {
        int[] tokens = request.promptTokens();
        if (request.cacheKey() != null) {
            BlockHash root = BlockHasher.hashKey(request.cacheKey(), request.namespace());
            List<BlockHash> blocks = BlockHasher.hashFullBlocks(tokens, blockSize, request.namespace(), root);
            List<BlockHash> chain = new ArrayList<>(blocks.size() + 1);
            chain.add(root);
            chain.addAll(blocks);
            return new RoutingChain(chain, 1, root, tokens.length, blockSize);
        }
        List<BlockHash> chain = BlockHasher.hashFullBlocks(tokens, blockSize, request.namespace());
        BlockHash anchor = chain.isEmpty()
                ? BlockHasher.hashBlock(BlockHasher.ROOT_PARENT, tokens, 0, tokens.length, request.namespace())
                : chain.get(0);
        return new RoutingChain(chain, 0, anchor, tokens.length, blockSize);
    }

    /**
     * Prompt tokens an engine holding the first {@code depth} entries can reuse: whole blocks, and never the
     * last prompt token (the engine always computes it).
     */
    public int cachedPromptTokens(int depth) {
        int blocks = Math.min(Math.max(0, depth - rootEntries), (promptTokens - 1) / blockSize);
        return blocks * blockSize;
    }
}
