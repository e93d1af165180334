package io.prefixflow.operator.routing;

import io.prefixflow.kv.hash.BlockHash;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A router's approximate memory of the prefixes it routed: chained block hash → how much work went through that
 * prefix (decaying, so it measures the prefix's recent traffic) and the subtasks (replicas) that received it, each
 * with when it last did. Bounded to {@code capacityEntries} hashes, least recently used first out; a replica not
 * routed to for {@code replicaIdleTimeoutMs} is forgotten, so a prefix that cooled down keeps only the replicas it
 * is still sent to.
 *
 * <p>NOTE: {@link #record} touches a chain deepest first, root last, so the LRU order evicts the deep ends of
 * chains before their roots and a lookup, which walks from the root, rarely finds a hole.
 *
 * <p>Approximate by design: it is not checkpointed (after a restore it starts empty and prefixes are placed by
 * consistent hashing again), and it does not know what an engine evicted.
 */
final class PrefixIndex {
    private final int capacityEntries;
    private final long replicaIdleTimeoutMs;
    private final double halfLifeMs;
    private final LinkedHashMap<BlockHash, Entry> entries;

    PrefixIndex(int capacityEntries, long replicaIdleTimeoutMs, long halfLifeMs) {
        if (capacityEntries < 1) {
            throw new IllegalArgumentException("capacityEntries must be >= 1, got " + capacityEntries);
        }
        this.capacityEntries = capacityEntries;
        this.replicaIdleTimeoutMs = replicaIdleTimeoutMs;
        this.halfLifeMs = halfLifeMs;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<BlockHash, Entry> eldest) {
                return size() > PrefixIndex.this.capacityEntries;
            }
        };
    }

    /** The entry of {@code hash} with its idle replicas forgotten, or null when the router never saw it. */
    Entry get(BlockHash hash, long nowMs) {
        Entry entry = entries.get(hash);
        if (entry != null) {
            entry.forgetIdleSince(nowMs - replicaIdleTimeoutMs);
        }
        return entry;
    }

    /** Remembers that {@code subtask} received every entry of {@code chain} at {@code nowMs}, with its work. */
    void record(java.util.List<BlockHash> chain, int subtask, double workTokens, long nowMs) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            BlockHash hash = chain.get(i);
            Entry entry = entries.get(hash);
            if (entry == null) {
                entry = new Entry();
                entries.put(hash, entry);
            }
            entry.touch(subtask, nowMs);
            entry.addWork(workTokens, nowMs, halfLifeMs);
        }
    }

    /** Subtasks holding {@code hash}, idle ones included until a lookup forgets them. */
    int replicasOf(BlockHash hash) {
        Entry entry = entries.get(hash);
        return entry == null ? 0 : entry.count;
    }

    int size() {
        return entries.size();
    }

    /** One prefix: its decaying work and its replicas (parallel arrays, in the order they were added). */
    static final class Entry {
        private int count;
        private int[] subtasks = new int[2];
        private long[] lastRoutedMs = new long[2];
        private double workTokens;
        private long workAtMs;

        int numReplicas() {
            return count;
        }

        int replica(int r) {
            return subtasks[r];
        }

        /** The work routed through this prefix, decayed to {@code nowMs}. */
        double work(long nowMs, double halfLifeMs) {
            return nowMs <= workAtMs ? workTokens : workTokens * Math.pow(0.5, (nowMs - workAtMs) / halfLifeMs);
        }

        private void addWork(double tokens, long nowMs, double halfLifeMs) {
            workTokens = work(nowMs, halfLifeMs) + tokens;
            workAtMs = Math.max(workAtMs, nowMs);
        }

        private void touch(int subtask, long nowMs) {
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

        private void forgetIdleSince(long cutoffMs) {
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
