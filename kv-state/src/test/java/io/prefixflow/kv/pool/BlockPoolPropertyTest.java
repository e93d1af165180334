package io.prefixflow.kv.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.prefixflow.kv.hash.BlockHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random operation sequences against a plain model of the pool: the references the test holds
 * (a multiset of block ids), the LRU order of free blocks as a list, and the hash/block maps.
 * After every operation the pool must agree with the model exactly.
 */
class BlockPoolPropertyTest {
    private static final int NUM_HASHES = 8;

    enum Kind { ALLOCATE, RETAIN_HELD, RETAIN_CACHED_FREE, RELEASE, CACHE, LOOKUP, MATCH_PREFIX, DOUBLE_FREE }

    record Op(Kind kind, int a, int b) {}

    /** What the pool should be. */
    static final class Model {
        final int numBlocks;
        final List<Integer> heldReferences = new ArrayList<>();
        final List<Integer> freeLru = new ArrayList<>();
        final Map<BlockHash, Integer> hashToBlock = new HashMap<>();
        final Map<Integer, BlockHash> blockToHash = new HashMap<>();
        long numEvictions;

        Model(int numBlocks) {
            this.numBlocks = numBlocks;
            for (int b = 0; b < numBlocks; b++) {
                freeLru.add(b);
            }
        }

        int refCount(int blockId) {
            int n = 0;
            for (int held : heldReferences) {
                n += held == blockId ? 1 : 0;
            }
            return n;
        }

        List<Integer> cachedFree() {
            List<Integer> blocks = new ArrayList<>();
            for (int b : freeLru) {
                if (blockToHash.containsKey(b)) {
                    blocks.add(b);
                }
            }
            return blocks;
        }

        void take(int blockId) {
            freeLru.remove(Integer.valueOf(blockId));
            heldReferences.add(blockId);
        }
    }

    @Property(tries = 500)
    void poolAgreesWithModel(@ForAll @IntRange(min = 1, max = 8) int numBlocks, @ForAll("ops") List<Op> ops) {
        BlockPool pool = new BlockPool(numBlocks);
        Model model = new Model(numBlocks);
        for (Op op : ops) {
            apply(op, pool, model);
            assertAgree(pool, model);
        }
        while (!model.heldReferences.isEmpty()) {
            pool.release(model.heldReferences.remove(model.heldReferences.size() - 1));
        }
        assertEquals(numBlocks, pool.numFreeBlocks(), "every block is free once every holder released");
    }

    private static void apply(Op op, BlockPool pool, Model model) {
        List<Integer> held = model.heldReferences;
        switch (op.kind()) {
            case ALLOCATE -> {
                int expected = model.freeLru.isEmpty() ? -1 : model.freeLru.get(0);
                assertEquals(expected, pool.tryAllocate(), "the LRU head is taken");
                if (expected >= 0) {
                    BlockHash evicted = model.blockToHash.remove(expected);
                    if (evicted != null) {
                        model.hashToBlock.remove(evicted);
                        model.numEvictions++;
                    }
                    model.take(expected);
                }
            }
            case RETAIN_HELD -> {
                if (!held.isEmpty()) {
                    int blockId = held.get(op.a() % held.size());
                    pool.retain(blockId);
                    held.add(blockId);
                }
            }
            case RETAIN_CACHED_FREE -> {
                List<Integer> candidates = model.cachedFree();
                if (!candidates.isEmpty()) {
                    int blockId = candidates.get(op.a() % candidates.size());
                    pool.retain(blockId);
                    model.take(blockId);
                }
            }
            case RELEASE -> {
                if (!held.isEmpty()) {
                    int blockId = held.remove(op.a() % held.size());
                    pool.release(blockId);
                    if (model.refCount(blockId) == 0) {
                        model.freeLru.add(blockId);
                    }
                }
            }
            case CACHE -> {
                if (!held.isEmpty()) {
                    int blockId = held.get(op.a() % held.size());
                    BlockHash hash = hash(op.b());
                    BlockHash current = model.blockToHash.get(blockId);
                    if (current != null && !current.equals(hash)) {
                        assertThrows(IllegalStateException.class, () -> pool.cache(blockId, hash));
                    } else {
                        int holder = model.hashToBlock.getOrDefault(hash, blockId);
                        assertEquals(holder, pool.cache(blockId, hash));
                        if (holder == blockId) {
                            model.hashToBlock.put(hash, blockId);
                            model.blockToHash.put(blockId, hash);
                        }
                    }
                }
            }
            case LOOKUP -> assertEquals(model.hashToBlock.getOrDefault(hash(op.b()), -1), pool.lookup(hash(op.b())));
            case MATCH_PREFIX -> {
                List<BlockHash> hashes = new ArrayList<>();
                for (int i = 0; i < op.a() % 4; i++) {
                    hashes.add(hash(op.b() + i));
                }
                List<Integer> expected = new ArrayList<>();
                for (BlockHash h : hashes) {
                    Integer blockId = model.hashToBlock.get(h);
                    if (blockId == null) {
                        break;
                    }
                    expected.add(blockId);
                }
                int[] matched = pool.matchPrefix(hashes);
                assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), matched);
                for (int blockId : matched) {
                    if (model.refCount(blockId) == 0) {
                        model.take(blockId);
                    } else {
                        held.add(blockId);
                    }
                }
            }
            case DOUBLE_FREE -> {
                if (!model.freeLru.isEmpty()) {
                    int blockId = model.freeLru.get(op.a() % model.freeLru.size());
                    assertThrows(IllegalStateException.class, () -> pool.release(blockId));
                }
            }
        }
    }

    private static void assertAgree(BlockPool pool, Model model) {
        int numReferenced = 0;
        for (int b = 0; b < model.numBlocks; b++) {
            int refs = model.refCount(b);
            assertEquals(refs, pool.refCount(b), "refCount of block " + b);
            assertEquals(model.blockToHash.containsKey(b), pool.isCached(b), "cached flag of block " + b);
            numReferenced += refs > 0 ? 1 : 0;
        }
        assertEquals(model.numBlocks, numReferenced + pool.numFreeBlocks(), "every block is free or referenced");
        assertArrayEquals(model.freeLru.stream().mapToInt(Integer::intValue).toArray(), pool.freeBlockIdsInLruOrder());
        assertEquals(model.hashToBlock.size(), pool.numCachedBlocks());
        assertEquals(model.numEvictions, pool.numEvictions());
        for (int i = 0; i < NUM_HASHES; i++) {
            assertEquals(model.hashToBlock.getOrDefault(hash(i), -1), pool.lookup(hash(i)), "lookup of hash " + i);
        }
    }

    private static BlockHash hash(int i) {
        int k = Math.floorMod(i, NUM_HASHES);
        return new BlockHash(k * 0x9e3779b97f4a7c15L, k);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(0, NUM_HASHES - 1))
                .as(Op::new)
                .list()
                .ofMaxSize(120);
    }
}
