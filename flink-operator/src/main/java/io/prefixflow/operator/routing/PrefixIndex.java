package io.prefixflow.operator.routing;

import io.prefixflow.kv.hash.BlockHash;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A router's approximate memory of which subtasks it sent which prefix: chained block hash → the subtasks
 * (replicas) that received it, each with when it last did. Bounded to {@code capacityEntries} hashes, least
 * recently used first out; a replica not routed to for {@code replicaIdleTimeoutMs} is forgotten, so a prefix
 * that cooled down keeps only the replica it is still sent to.
 *
 * <p>NOTE: {@link #record} touches a chain deepest first, root last, so the LRU order evicts the deep ends of
 * chains before their roots and a lookup, which walks from the root, rarely finds a hole.
 *
 * <p>Approximate by design: it is not checkpointed (after a restore it starts empty and cold requests are placed
 * by consistent hashing again), and it does not know what an engine evicted.
 */
final class PrefixIndex {
    private final int capacityEntries;
    private final long replicaIdleTimeoutMs;
    private final LinkedHashMap<BlockHash, Replicas> entries;

    PrefixIndex(int capacityEntries, long replicaIdleTimeoutMs) {
        if (capacityEntries < 1) {
            throw new IllegalArgumentException("capacityEntries must be >= 1, got " + capacityEntries);
        }
        this.capacityEntries = capacityEntries;
        this.replicaIdleTimeoutMs = replicaIdleTimeoutMs;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<BlockHash, Replicas> eldest) {
                return size() > PrefixIndex.this.capacityEntries;
            }
        };
    }

    /**
     * Sets {@code depthOut[s]} to the number of leading chain entries subtask {@code s} holds without a gap
     * (0 for none) and returns the deepest of them.
     */
    int match(List<BlockHash> chain, long nowMs, int[] depthOut) {
        Arrays.fill(depthOut, 0);
        long cutoffMs = nowMs - replicaIdleTimeoutMs;
        int deepest = 0;
        for (int i = 0; i < chain.size(); i++) {
            Replicas replicas = entries.get(chain.get(i));
            if (replicas == null) {
                break;
            }
            replicas.forgetIdleSince(cutoffMs);
            if (replicas.count == 0) {
                entries.remove(chain.get(i));
                break;
            }
            boolean any = false;
            for (int r = 0; r < replicas.count; r++) {
                int subtask = replicas.subtasks[r];
                if (subtask < depthOut.length && depthOut[subtask] == i) {
                    depthOut[subtask] = i + 1;
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            deepest = i + 1;
        }
        return deepest;
    }

    /** Remembers that {@code subtask} received every entry of {@code chain} at {@code nowMs}. */
    void record(List<BlockHash> chain, int subtask, long nowMs) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            BlockHash hash = chain.get(i);
            Replicas replicas = entries.get(hash);
            if (replicas == null) {
                replicas = new Replicas();
                entries.put(hash, replicas);
            }
            replicas.touch(subtask, nowMs);
        }
    }

    /** Subtasks holding {@code hash}, idle ones included until a lookup forgets them. */
    int replicasOf(BlockHash hash) {
        Replicas replicas = entries.get(hash);
        return replicas == null ? 0 : replicas.count;
    }

    int size() {
        return entries.size();
    }

    /** The replicas of one hash: parallel arrays, in the order they were added. */
    private static final class Replicas {
        private int count;
        private int[] subtasks = new int[2];
        private long[] lastRoutedMs = new long[2];

        void touch(int subtask, long nowMs) {
            for (int r = 0; r < count; r++) {
                if (subtasks[r] == subtask) {
                    lastRoutedMs[r] = Math.max(lastRoutedMs[r], nowMs);
                    return;
                }
            }
            if (count == subtasks.length) {
                subtasks = Arrays.copyOf(subtasks, count * 2);
                lastRoutedMs = Arrays.copyOf(lastRoutedMs, count * 2);
            }
            subtasks[count] = subtask;
            lastRoutedMs[count] = nowMs;
            count++;
        }

        void forgetIdleSince(long cutoffMs) {
            int kept = 0;
            for (int r = 0; r < count; r++) {
                if (lastRoutedMs[r] >= cutoffMs) {
                    subtasks[kept] = subtasks[r];
                    lastRoutedMs[kept] = lastRoutedMs[r];
                    kept++;
                }
            }
            count = kept;
        }
    }
}
