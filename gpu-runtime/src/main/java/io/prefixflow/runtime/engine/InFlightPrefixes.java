package io.prefixflow.runtime.engine;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full prompt blocks that running sequences are computing but have not yet committed to the prefix
 * cache, by block hash.
 *
 * <p>Why: requests sharing a prefix often arrive together. Admitted in the same step, each would compute
 * the shared prefix itself, since none of it is cached yet. The scheduler therefore holds back a waiting
 * request one of whose reusable blocks is in flight here; a few steps later that block is cached and
 * the request reuses it (SGLang schedules shared prefixes similarly). Because hashes are chained, a
 * match at block {@code i} means blocks {@code 0..i} have the same content.
 *
 * <p>Not thread-safe: owned by the scheduler.
 */
final class InFlightPrefixes {
    private final int blockSize;
    private final Map<BlockHash, Integer> counts = new HashMap<>();
    /** Per running sequence: its prompt's full-block hashes and how many of them are already committed. */
    private final Map<String, Registration> registrations = new HashMap<>();

    private record Registration(List<BlockHash> hashes, int[] numCommitted) {
    }

    InFlightPrefixes(int blockSize) {
        this.blockSize = blockSize;
    }

    /** The full-block hashes of {@code tokens}, as the KV manager computes them. */
    List<BlockHash> hashes(int[] tokens, BlockHash namespace) {
        return BlockHasher.hashFullBlocks(tokens, blockSize, namespace);
    }

    /** Whether a sequence with these hashes could reuse a block that is still being computed. */
    boolean wouldReuseInFlight(List<BlockHash> hashes, int numTokens) {
        if (counts.isEmpty()) {
            return false;
        }
        int reusable = Math.min(hashes.size(), (numTokens - 1) / blockSize);
        for (int i = 0; i < reusable; i++) {
            if (counts.containsKey(hashes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Registers a newly admitted sequence whose first {@code numComputedTokens} are cached already. */
    void add(String requestId, List<BlockHash> hashes, int numComputedTokens) {
        int[] numCommitted = {Math.min(hashes.size(), numComputedTokens / blockSize)};
        for (int i = numCommitted[0]; i < hashes.size(); i++) {
            counts.merge(hashes.get(i), 1, Integer::sum);
        }
        registrations.put(requestId, new Registration(hashes, numCommitted));
    }

    /** The sequence has computed (and committed) its first {@code numComputedTokens} tokens. */
    void computed(String requestId, int numComputedTokens) {
        Registration registration = registrations.get(requestId);
        if (registration == null) {
            return;
        }
        int upTo = Math.min(registration.hashes().size(), numComputedTokens / blockSize);
        for (int i = registration.numCommitted()[0]; i < upTo; i++) {
            decrement(registration.hashes().get(i));
        }
        registration.numCommitted()[0] = Math.max(registration.numCommitted()[0], upTo);
        if (upTo == registration.hashes().size()) {
            registrations.remove(requestId);
        }
    }

    /** The sequence stopped running (finished, aborted or preempted): its blocks are no longer in flight. */
    void remove(String requestId) {
        Registration registration = registrations.remove(requestId);
        if (registration == null) {
            return;
        }
        for (int i = registration.numCommitted()[0]; i < registration.hashes().size(); i++) {
            decrement(registration.hashes().get(i));
        }
    }

    boolean isEmpty() {
        return counts.isEmpty() && registrations.isEmpty();
    }

    private void decrement(BlockHash hash) {
        counts.computeIfPresent(hash, (h, n) -> n == 1 ? null : n - 1);
    }
}
