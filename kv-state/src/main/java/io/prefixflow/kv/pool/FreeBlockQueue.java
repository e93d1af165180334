package io.prefixflow.kv.pool;

import java.util.Arrays;

/**
 * Doubly linked list of free block ids in LRU order, threaded through two int arrays, so that taking
 * the head, appending at the tail and unlinking from the middle are O(1) and allocate nothing.
 *
 * <pre>
 *            head: least recently used                        tail: most recently used
 *               v                                                   v
 *   SENTINEL &lt;-&gt; b7 &lt;-&gt; b2 &lt;-&gt; b9 &lt;-&gt; ... &lt;-&gt; b4 &lt;-&gt; SENTINEL     (circular through the sentinel)
 *   pollFirst() takes b7                     addLast(b) links b after b4
 *   remove(b9) unlinks it in place: prev[next[b9]] = prev[b9], next[prev[b9]] = next[b9]
 * </pre>
 *
 * <p>Index {@code numBlocks} of each array is the sentinel; a block not in the list has
 * {@code prev == UNLINKED}. Not thread-safe.
 */
final class FreeBlockQueue {
    private static final int UNLINKED = -1;

    private final int sentinel;
    private final int[] prev;
    private final int[] next;
    private int size;

    /** A queue holding every block {@code 0 .. numBlocks-1}, block 0 at the head. */
    FreeBlockQueue(int numBlocks) {
        sentinel = numBlocks;
        prev = new int[numBlocks + 1];
        next = new int[numBlocks + 1];
        Arrays.fill(prev, UNLINKED);
        Arrays.fill(next, UNLINKED);
        prev[sentinel] = sentinel;
        next[sentinel] = sentinel;
        for (int blockId = 0; blockId < numBlocks; blockId++) {
            addLast(blockId);
        }
    }

    int size() {
        return size;
    }

    boolean contains(int blockId) {
        return prev[blockId] != UNLINKED;
    }

    /** Removes and returns the least recently used block, or {@code -1} when the queue is empty. */
    int pollFirst() {
        int first = next[sentinel];
        if (first == sentinel) {
            return -1;
        }
        remove(first);
        return first;
    }

    /** Links {@code blockId} as the most recently used block. */
    void addLast(int blockId) {
        if (contains(blockId)) {
            throw new IllegalStateException("block " + blockId + " is already in the free queue");
        }
        int last = prev[sentinel];
        prev[blockId] = last;
        next[blockId] = sentinel;
        next[last] = blockId;
        prev[sentinel] = blockId;
        size++;
    }

    /** Unlinks {@code blockId} from wherever it is in the queue. */
    void remove(int blockId) {
        if (!contains(blockId)) {
            throw new IllegalStateException("block " + blockId + " is not in the free queue");
        }
        int before = prev[blockId];
        int after = next[blockId];
        next[before] = after;
        prev[after] = before;
        prev[blockId] = UNLINKED;
        next[blockId] = UNLINKED;
        size--;
    }

    /** The free block ids from head (evicted first) to tail; allocates, for diagnostics and tests. */
    int[] toArray() {
        int[] blockIds = new int[size];
        int i = 0;
        for (int b = next[sentinel]; b != sentinel; b = next[b]) {
            blockIds[i++] = b;
        }
        return blockIds;
    }
}
