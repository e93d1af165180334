package io.prefixflow.runtime.engine;

import io.prefixflow.kv.hash.BlockHash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt blocks of every live (waiting or running) request, by chained block hash: how much of a new prompt
 * some live request shares, and so will have computed (and cached) by the time the new one runs. Only for the
 * scheduler's estimate of outstanding work; admission reads the KV cache itself.
 */
final class LivePrefixes {
    private final Map<BlockHash, Integer> counts = new HashMap<>();
    private final Map<String, List<BlockHash>> byRequest = new HashMap<>();

    /**
     * Leading tokens of a prompt of {@code promptLength} tokens, whose full blocks hash to {@code hashes}, that some
     * live request's prompt has too: whole blocks, at most all but the last token's, as the cache would give them.
     */
    int sharedTokens(List<BlockHash> hashes, int promptLength, int blockSize) {
        int limit = Math.min(hashes.size(), (promptLength - 1) / blockSize);
        int n = 0;
        while (n < limit && counts.containsKey(hashes.get(n))) {
            n++;
        }
        return n * blockSize;
    }

    void add(String requestId, List<BlockHash> hashes) {
        for (BlockHash hash : hashes) {
            counts.merge(hash, 1, Integer::sum);
        }
        byRequest.put(requestId, hashes);
    }

    void remove(String requestId) {
        List<BlockHash> hashes = byRequest.remove(requestId);
        if (hashes == null) {
            return;
        }
        for (BlockHash hash : hashes) {
            counts.computeIfPresent(hash, (h, c) -> c == 1 ? null : c - 1);
        }
    }
}
