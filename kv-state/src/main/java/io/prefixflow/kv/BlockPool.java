package io.prefixflow.kv;

import java.util.ArrayDeque;

/** Placeholder block pool (free ids only) until the reference-counted, LRU-cached pool lands. */
public final class BlockPool {
    private final int numBlocks;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();

    public BlockPool(int numBlocks) {
        this.numBlocks = numBlocks;
        for (int i = 0; i < numBlocks; i++) {
            free.add(i);
        }
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int numFreeBlocks() {
        return free.size();
    }

    public int tryAllocate() {
        Integer id = free.poll();
        return id == null ? -1 : id;
    }

    public void release(int blockId) {
        free.add(blockId);
    }
}
