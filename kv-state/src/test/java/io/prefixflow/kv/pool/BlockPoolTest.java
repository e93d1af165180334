package io.prefixflow.kv.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.hash.BlockHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockPoolTest {
    private static BlockHash hash(int i) {
        return new BlockHash(i, ~i);
    }

    @Test
    void allocatesInIdOrderUntilFullThenReturnsMinusOne() {
        BlockPool pool = new BlockPool(3);
        assertEquals(0, pool.tryAllocate());
        assertEquals(1, pool.tryAllocate());
        assertEquals(2, pool.tryAllocate());
        assertEquals(-1, pool.tryAllocate());
        assertEquals(0, pool.numFreeBlocks());
        assertEquals(3, pool.numUsedBlocks());
        assertEquals(1, pool.refCount(2));
    }

    @Test
    void tailFirstReleaseEvictsTheSequenceTailFirst() {
        BlockPool pool = new BlockPool(4);
        int[] sequence = {pool.tryAllocate(), pool.tryAllocate(), pool.tryAllocate(), pool.tryAllocate()};
        for (int i = 0; i < sequence.length; i++) {
            pool.cache(sequence[i], hash(i));
        }
        for (int i = sequence.length - 1; i >= 0; i--) {
            pool.release(sequence[i]);
        }
        assertArrayEquals(new int[] {3, 2, 1, 0}, pool.freeBlockIdsInLruOrder());
        assertEquals(3, pool.tryAllocate());
        assertEquals(-1, pool.lookup(hash(3)), "the tail block was evicted first");
        assertEquals(0, pool.lookup(hash(0)), "the first block is still cached");
        assertEquals(1, pool.numEvictions());
        assertEquals(3, pool.numCachedBlocks());
    }

    @Test
    void retainingACachedFreeBlockIsAHitThatTakesItOffTheFreeList() {
        BlockPool pool = new BlockPool(3);
        int block = pool.tryAllocate();
        pool.cache(block, hash(7));
        pool.release(block);
        assertEquals(3, pool.numFreeBlocks());
        assertArrayEquals(new int[] {block}, pool.matchPrefix(List.of(hash(7), hash(8))));
        assertEquals(1, pool.refCount(block));
        assertArrayEquals(new int[] {1, 2}, pool.freeBlockIdsInLruOrder());
        pool.retain(block);
        assertEquals(2, pool.refCount(block));
    }

    @Test
    void sharedBlockIsFreeOnlyAfterTheLastRelease() {
        BlockPool pool = new BlockPool(2);
        int block = pool.tryAllocate();
        pool.retain(block);
        pool.release(block);
        assertEquals(1, pool.numFreeBlocks());
        pool.release(block);
        assertEquals(2, pool.numFreeBlocks());
    }

    @Test
    void cachingAnExistingHashKeepsTheExistingBlock() {
        BlockPool pool = new BlockPool(3);
        int first = pool.tryAllocate();
        int second = pool.tryAllocate();
        assertEquals(first, pool.cache(first, hash(1)));
        assertEquals(first, pool.cache(second, hash(1)));
        assertFalse(pool.isCached(second));
        assertEquals(first, pool.cache(first, hash(1)), "caching again under the same hash is a no-op");
        assertEquals(1, pool.numCachedBlocks());
        assertTrue(pool.cachedHash(first).isPresent());
    }

    @Test
    void misuseThrowsNamingTheBlock() {
        BlockPool pool = new BlockPool(2);
        int block = pool.tryAllocate();
        pool.cache(block, hash(1));
        assertEquals("block 0 is already cached under " + hash(1) + ", cannot cache it under " + hash(2),
                assertThrows(IllegalStateException.class, () -> pool.cache(block, hash(2))).getMessage());
        pool.release(block);
        assertEquals("block 0 released at reference count 0 (freed twice or never allocated)",
                assertThrows(IllegalStateException.class, () -> pool.release(block)).getMessage());
        assertEquals("block 1 is free and not cached, so its content is undefined; take blocks with tryAllocate()",
                assertThrows(IllegalStateException.class, () -> pool.retain(1)).getMessage());
        assertEquals("block 1 must be referenced to be cached",
                assertThrows(IllegalStateException.class, () -> pool.cache(1, hash(3))).getMessage());
        assertEquals("blockId 2 is out of range [0, 2)",
                assertThrows(IndexOutOfBoundsException.class, () -> pool.refCount(2)).getMessage());
        assertEquals("numBlocks must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new BlockPool(0)).getMessage());
    }
}
