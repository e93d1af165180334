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

    /** Full blocks at the start of {@code hashes} that some live request's prompt has too. */
    int sharedBlocks(List<BlockHash> hashes) {
        int n = 0;
        while (n < hashes.size() && counts.containsKey(hashes.get(n))) {
            n++;
        }
        return n;
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
