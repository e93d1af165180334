package io.prefixflow.kv.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.kv.pool.BlockPool;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KvCacheManagerTest {
    private static final int BLOCK_SIZE = 16;
    private static final BlockHash NS = BlockHasher.namespace("model", "");

    private final BlockPool pool = new BlockPool(64);
    private final KvCacheManager kv = new KvCacheManager(pool, BLOCK_SIZE);

    @Test
    void secondRequestSharingA200TokenPrefixGets192CachedTokens() {
        int[] shared = tokens(200, 1);
        int[] promptA = concat(shared, tokens(20, 5000));
        int[] promptB = concat(shared, tokens(30, 9000));

        assertEquals(0, kv.tryAllocate("a", promptA, NS));
        kv.commitComputed("a", promptA.length, promptA);
        assertEquals(192, kv.tryAllocate("b", promptB, NS));

        int[] tableA = kv.blockTable("a");
        int[] tableB = kv.blockTable("b");
        assertArrayEquals(Arrays.copyOf(tableA, 12), Arrays.copyOf(tableB, 12));
        assertNotEquals(tableA[12], tableB[12], "the 13th block holds different tokens");
        assertEquals(2, pool.refCount(tableA[0]), "a shared block has one reference per request");
        assertEquals(ceilDiv(promptB.length), tableB.length);
        assertEquals(192, kv.numComputedTokens("b"));

        KvCacheStats stats = kv.stats();
        assertEquals(2, stats.numPrefixQueries());
        assertEquals(promptA.length + promptB.length, stats.numPrefixQueryTokens());
        assertEquals(192, stats.numPrefixHitTokens());
        assertEquals(tableA.length + tableB.length - 12, stats.numUsedBlocks());
    }

    @Test
    void prefixStaysCachedAfterTheFirstRequestFinishes() {
        int[] prompt = tokens(200, 1);
        kv.tryAllocate("a", prompt, NS);
        kv.commitComputed("a", prompt.length, prompt);
        kv.free("a");
        assertEquals(64, pool.numFreeBlocks());
        assertEquals(192, kv.tryAllocate("b", prompt, NS));
        assertEquals(64 - 13, pool.numFreeBlocks());
    }

    @Test
    void twoTenantSaltsShareNothing() {
        BlockHash tenantA = BlockHasher.namespace("model", "tenant-a");
        BlockHash tenantB = BlockHasher.namespace("model", "tenant-b");
        int[] prompt = tokens(100, 7);
        kv.tryAllocate("a", prompt, tenantA);
        kv.commitComputed("a", prompt.length, prompt);

        assertEquals(0, kv.tryAllocate("b", prompt, tenantB));
        Set<Integer> blocksA = set(kv.blockTable("a"));
        for (int block : kv.blockTable("b")) {
            assertFalse(blocksA.contains(block), "tenant b got tenant a's block " + block);
        }
        assertEquals(96, kv.tryAllocate("a2", prompt, tenantA), "the same tenant still hits");
    }

    @Test
    void fullyCachedPromptRecomputesItsLastBlock() {
        int[] prompt = tokens(32, 3);
        kv.tryAllocate("a", prompt, NS);
        kv.commitComputed("a", 32, prompt);
        assertEquals(16, kv.tryAllocate("b", prompt, NS));
        int[] tableA = kv.blockTable("a");
        int[] tableB = kv.blockTable("b");
        assertEquals(tableA[0], tableB[0]);
        assertNotEquals(tableA[1], tableB[1], "the last block is recomputed into a private block");

        kv.commitComputed("b", 32, prompt);
        assertFalse(pool.isCached(tableB[1]), "a duplicate of a cached block stays private");
        assertEquals(2, pool.numCachedBlocks());
        kv.free("a");
        kv.free("b");
        assertEquals(64, pool.numFreeBlocks());
        assertEquals(2, pool.numCachedBlocks());
    }

    @Test
    void appendTakesABlockOnlyAtBlockBoundaries() {
        kv.tryAllocate("a", tokens(16, 0), NS);
        assertEquals(1, kv.blockTable("a").length);
        assertEquals(1, kv.numNewBlocksNeeded("a", 1));
        assertTrue(kv.tryAppendSlots("a", 1));
        assertEquals(2, kv.blockTable("a").length);
        assertTrue(kv.tryAppendSlots("a", 15));
        assertEquals(2, kv.blockTable("a").length);
        assertTrue(kv.tryAppendSlots("a", 1));
        assertEquals(3, kv.blockTable("a").length);
        assertEquals(33, kv.numTokenSlots("a"));
        assertTrue(kv.tryAppendSlots("a", 0));
    }

    @Test
    void outOfBlocksIsAReturnValueThatChangesNothing() {
        BlockPool small = new BlockPool(4);
        KvCacheManager manager = new KvCacheManager(small, 4);
        assertEquals(0, manager.tryAllocate("a", tokens(12, 0), NS));
        assertEquals(-1, manager.tryAllocate("b", tokens(8, 100), NS));
        assertFalse(manager.contains("b"));
        assertEquals(1, small.numFreeBlocks());

        assertTrue(manager.tryAppendSlots("a", 4));
        int[] table = manager.blockTable("a");
        assertFalse(manager.tryAppendSlots("a", 1));
        assertArrayEquals(table, manager.blockTable("a"));
        assertEquals(16, manager.numTokenSlots("a"));
        assertEquals(1, manager.stats().numPrefixQueries(), "a refused admission is not a query");
    }

    @Test
    void admissionCountsRevivedCachedBlocksAgainstFreeBlocks() {
        BlockPool small = new BlockPool(3);
        KvCacheManager manager = new KvCacheManager(small, 4);
        int[] prompt = tokens(8, 0);
        manager.tryAllocate("a", prompt, NS);
        manager.commitComputed("a", 8, prompt);
        manager.free("a");
        int[] longer = concat(prompt, tokens(9, 50));
        assertEquals(-1, manager.tryAllocate("b", longer, NS), "2 revived + 3 new blocks do not fit in 3");
        assertEquals(3, small.numFreeBlocks());
        assertEquals(2, small.numCachedBlocks());
        assertEquals(8, manager.tryAllocate("c", concat(prompt, tokens(1, 50)), NS), "2 revived + 1 new fit");
    }

    @Test
    void freeReleasesTailFirstSoTheTailIsEvictedFirst() {
        int[] prompt = tokens(48, 0);
        kv.tryAllocate("a", prompt, NS);
        kv.commitComputed("a", 48, prompt);
        int[] table = kv.blockTable("a");
        kv.free("a");
        int[] lru = pool.freeBlockIdsInLruOrder();
        int[] lastThree = Arrays.copyOfRange(lru, lru.length - 3, lru.length);
        assertArrayEquals(new int[] {table[2], table[1], table[0]}, lastThree);
    }

    @Test
    void generatedTokensAreCachedForTheNextTurn() {
        int[] prompt = tokens(16, 0);
        kv.tryAllocate("turn1", prompt, NS);
        kv.commitComputed("turn1", 16, prompt);
        int[] conversation = concat(prompt, tokens(17, 700));
        for (int t = 16; t < conversation.length; t++) {
            assertTrue(kv.tryAppendSlots("turn1", 1));
            kv.commitComputed("turn1", t + 1, Arrays.copyOf(conversation, t + 1));
        }
        kv.free("turn1");
        assertEquals(32, kv.tryAllocate("turn2", concat(conversation, tokens(5, 900)), NS));
    }

    @Test
    void misuseThrowsNamingTheRequest() {
        kv.tryAllocate("a", tokens(20, 0), NS);
        kv.commitComputed("a", 10, tokens(20, 0));
        assertEquals("request a already holds blocks; free it first",
                assertThrows(IllegalStateException.class, () -> kv.tryAllocate("a", tokens(4, 0), NS)).getMessage());
        assertEquals("request nope holds no blocks",
                assertThrows(IllegalArgumentException.class, () -> kv.free("nope")).getMessage());
        assertEquals("request a: numComputedTokens 5 must be in [10, 20]",
                assertThrows(IllegalArgumentException.class, () -> kv.commitComputed("a", 5, tokens(20, 0)))
                        .getMessage());
        assertEquals("request a: 12 token ids cannot cover numComputedTokens 15",
                assertThrows(IllegalArgumentException.class, () -> kv.commitComputed("a", 15, tokens(12, 0)))
                        .getMessage());
        assertEquals("request e has an empty prompt",
                assertThrows(IllegalArgumentException.class, () -> kv.tryAllocate("e", new int[0], NS)).getMessage());
        assertEquals("numNewTokens must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> kv.tryAppendSlots("a", -1)).getMessage());
        assertEquals("blockSize must be >= 1 tokens, got 0",
                assertThrows(IllegalArgumentException.class, () -> new KvCacheManager(pool, 0)).getMessage());
    }

    private static int[] tokens(int numTokens, int first) {
        int[] tokens = new int[numTokens];
        for (int i = 0; i < numTokens; i++) {
            tokens[i] = first + i;
        }
        return tokens;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static Set<Integer> set(int[] blockIds) {
        Set<Integer> set = new HashSet<>();
        for (int b : blockIds) {
            set.add(b);
        }
        return set;
    }

    private static int ceilDiv(int numTokens) {
        return (numTokens + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }
}
