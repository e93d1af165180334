package io.prefixflow.kv.pool;

import java.util.Arrays;

/**
 * Map from a 128-bit block hash to a block id: open addressing with linear probing over parallel
 * arrays, so lookups, inserts and removals allocate nothing.
 *
 * <p>The table has at least twice as many slots as the most entries it may hold (every block holds at
 * most one hash), so probe runs stay short and a free slot always exists. Removal shifts later
 * entries of the run back instead of leaving tombstones. Not thread-safe.
 */
final class BlockHashIndex {
    private static final int EMPTY = -1;

    private final long[] keyHi;
    private final long[] keyLo;
    private final int[] values;
    private final int mask;
    private final int maxEntries;
    private int size;

    BlockHashIndex(int maxEntries) {
        if (maxEntries < 1 || maxEntries > (1 << 28)) {
            throw new IllegalArgumentException("maxEntries must be in [1, 2^28], got " + maxEntries);
        }
        int capacity = Integer.highestOneBit(maxEntries) << 2;
        this.maxEntries = maxEntries;
        keyHi = new long[capacity];
        keyLo = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, EMPTY);
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    /** The value stored under the key, or {@code -1}. */
    int get(long hi, long lo) {
        for (int slot = home(hi, lo); values[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keyHi[slot] == hi && keyLo[slot] == lo) {
                return values[slot];
            }
        }
        return -1;
    }

    /** Stores {@code value} unless the key is present; returns the present value, or {@code -1} if stored. */
    int putIfAbsent(long hi, long lo, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be >= 0, got " + value);
        }
        int slot = home(hi, lo);
        for (; values[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keyHi[slot] == hi && keyLo[slot] == lo) {
                return values[slot];
            }
        }
        if (size == maxEntries) {
            throw new IllegalStateException("hash index is full at " + maxEntries + " entries");
        }
        keyHi[slot] = hi;
        keyLo[slot] = lo;
        values[slot] = value;
        size++;
        return -1;
    }

    /** Removes the key; returns whether it was present. */
    boolean remove(long hi, long lo) {
        int slot = home(hi, lo);
        while (values[slot] != EMPTY && !(keyHi[slot] == hi && keyLo[slot] == lo)) {
            slot = (slot + 1) & mask;
        }
        if (values[slot] == EMPTY) {
            return false;
        }
        int hole = slot;
        for (int probe = (hole + 1) & mask; values[probe] != EMPTY; probe = (probe + 1) & mask) {
            int probeHome = home(keyHi[probe], keyLo[probe]);
            // NOTE: an entry may fill the hole only if its home slot is not cyclically in (hole, probe];
            // otherwise moving it would put it before its home where lookups never look.
            boolean homeInRange = hole <= probe
                    ? hole < probeHome && probeHome <= probe
                    : hole < probeHome || probeHome <= probe;
            if (!homeInRange) {
                keyHi[hole] = keyHi[probe];
                keyLo[hole] = keyLo[probe];
                values[hole] = values[probe];
                hole = probe;
            }
        }
        values[hole] = EMPTY;
        size--;
        return true;
    }

    private int home(long hi, long lo) {
        long h = (hi ^ Long.rotateLeft(lo, 29)) * 0x9e3779b97f4a7c15L;
        return (int) (h >>> 32) & mask;
    }
}
