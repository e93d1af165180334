package io.prefixflow.kv.manager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.kv.pool.BlockPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random request lifecycles (admit with shared prefixes in two tenant namespaces, compute in chunks,
 * decode, free, requeue after preemption) against a shadow of what each physical block holds.
 *
 * <p>The shadow maps a block to the namespace and all tokens up to its end, set when a request
 * computes the block fully, and cleared when the block is handed out fresh (its old KV is garbage
 * then). A cache hit must find exactly the requested content there.
 */
class KvCacheManagerPropertyTest {
    private static final BlockHash[] NAMESPACES = {
        BlockHasher.namespace("model", "tenant-a"), BlockHasher.namespace("model", "tenant-b")
    };
    private static final int[][] DOCUMENTS = {document(1), document(2), document(3)};

    enum Kind { ADMIT, COMPUTE, DECODE, FREE, REQUEUE }

    record Op(Kind kind, int a, int b, int c) {}

    /** What a physical block holds: the KV of the last block of {@code tokens} under {@code namespace}. */
    record Content(BlockHash namespace, List<Integer> tokens) {}

    static final class Request {
        final BlockHash namespace;
        final List<Integer> tokens;
        final List<Integer> blockTable = new ArrayList<>();
        int numComputedTokens;

        Request(BlockHash namespace, List<Integer> tokens) {
            this.namespace = namespace;
            this.tokens = tokens;
        }
    }

    @Property(tries = 300)
    void blockTablesReferenceCountsAndCacheHitsStayConsistent(
            @ForAll @IntRange(min = 3, max = 24) int numBlocks,
            @ForAll @IntRange(min = 1, max = 4) int blockSize,
            @ForAll("ops") List<Op> ops) {
        BlockPool pool = new BlockPool(numBlocks);
        KvCacheManager kv = new KvCacheManager(pool, blockSize);
        Map<String, Request> live = new LinkedHashMap<>();
        Map<Integer, Content> shadow = new HashMap<>();
        int nextId = 0;

        for (Op op : ops) {
            List<String> ids = new ArrayList<>(live.keySet());
            switch (op.kind()) {
                case ADMIT -> {
                    List<Integer> prompt = prompt(op);
                    admit("r" + nextId++, NAMESPACES[op.a() % 2], prompt, kv, pool, live, shadow);
                }
                case COMPUTE -> {
                    if (!ids.isEmpty()) {
                        Request r = live.get(ids.get(op.a() % ids.size()));
                        int target = r.numComputedTokens + op.b() % (r.tokens.size() - r.numComputedTokens + 1);
                        compute(ids.get(op.a() % ids.size()), r, target, blockSize, kv, shadow);
                    }
                }
                case DECODE -> {
                    if (!ids.isEmpty()) {
                        String id = ids.get(op.a() % ids.size());
                        decode(id, live.get(id), 1 + op.b() % 3, op.c(), blockSize, kv, pool, live, shadow);
                    }
                }
                case FREE -> {
                    if (!ids.isEmpty()) {
                        String id = ids.get(op.a() % ids.size());
                        kv.free(id);
                        live.remove(id);
                    }
                }
                case REQUEUE -> {
                    if (!ids.isEmpty()) {
                        String id = ids.get(op.a() % ids.size());
                        Request r = live.remove(id);
                        kv.free(id);
                        admit("r" + nextId++, r.namespace, r.tokens, kv, pool, live, shadow);
                    }
                }
            }
            assertConsistent(pool, kv, live, shadow, blockSize);
        }
        for (String id : live.keySet()) {
            kv.free(id);
        }
        assertEquals(numBlocks, pool.numFreeBlocks(), "no block leaked");
        assertEquals(0, kv.stats().numRunningRequests());
    }

    private static void admit(String id, BlockHash namespace, List<Integer> prompt, KvCacheManager kv,
            BlockPool pool, Map<String, Request> live, Map<Integer, Content> shadow) {
        int blockSize = kv.blockSize();
        int[] freeBefore = pool.freeBlockIdsInLruOrder();
        KvCacheStats statsBefore = kv.stats();
        int numCachedTokens = kv.tryAllocate(id, toArray(prompt), namespace);
        if (numCachedTokens < 0) {
            assertFalse(kv.contains(id));
            assertArrayEquals(freeBefore, pool.freeBlockIdsInLruOrder(), "a refused admission changes nothing");
            assertEquals(statsBefore, kv.stats());
            return;
        }
        assertEquals(0, numCachedTokens % blockSize);
        assertTrue(numCachedTokens <= prompt.size() - 1, "the last prompt token is always computed");
        Request r = new Request(namespace, new ArrayList<>(prompt));
        int[] table = kv.blockTable(id);
        int numMatchedBlocks = numCachedTokens / blockSize;
        for (int i = 0; i < table.length; i++) {
            if (i < numMatchedBlocks) {
                assertEquals(content(namespace, prompt, (i + 1) * blockSize), shadow.get(table[i]),
                        "cache hit on block " + table[i] + " must hold the requested tokens");
            } else {
                assertFresh(table[i], live);
                shadow.remove(table[i]);
            }
            r.blockTable.add(table[i]);
        }
        int maxCachedBlocks = (prompt.size() - 1) / blockSize;
        if (numMatchedBlocks < maxCachedBlocks) {
            Content next = content(namespace, prompt, (numMatchedBlocks + 1) * blockSize);
            for (Map.Entry<Integer, Content> e : shadow.entrySet()) {
                assertFalse(pool.isCached(e.getKey()) && e.getValue().equals(next),
                        "block " + e.getKey() + " caches the next prompt block but was not matched");
            }
        }
        r.numComputedTokens = numCachedTokens;
        live.put(id, r);
    }

    private static void compute(String id, Request r, int target, int blockSize, KvCacheManager kv,
            Map<Integer, Content> shadow) {
        for (int block = r.numComputedTokens / blockSize; block < target / blockSize; block++) {
            int blockId = r.blockTable.get(block);
            Content written = content(r.namespace, r.tokens, (block + 1) * blockSize);
            Content previous = shadow.get(blockId);
            // NOTE: a shared (cached-hit) block is never written; re-writing a private one is idempotent.
            assertTrue(previous == null || previous.equals(written), "request writes over block " + blockId);
            shadow.put(blockId, written);
        }
        kv.commitComputed(id, target, toArray(r.tokens));
        r.numComputedTokens = target;
    }

    private static void decode(String id, Request r, int numNewTokens, int seed, int blockSize,
            KvCacheManager kv, BlockPool pool, Map<String, Request> live, Map<Integer, Content> shadow) {
        int[] tableBefore = kv.blockTable(id);
        int needed = kv.numNewBlocksNeeded(id, numNewTokens);
        if (!kv.tryAppendSlots(id, numNewTokens)) {
            assertTrue(needed > pool.numFreeBlocks());
            assertArrayEquals(tableBefore, kv.blockTable(id));
            return;
        }
        for (int i = 0; i < numNewTokens; i++) {
            r.tokens.add(500 + (seed + i) % 7);
        }
        int[] table = kv.blockTable(id);
        assertEquals(tableBefore.length + needed, table.length);
        for (int i = tableBefore.length; i < table.length; i++) {
            assertFresh(table[i], live);
            shadow.remove(table[i]);
            r.blockTable.add(table[i]);
        }
    }

    private static void assertFresh(int blockId, Map<String, Request> live) {
        for (Map.Entry<String, Request> e : live.entrySet()) {
            assertFalse(e.getValue().blockTable.contains(blockId),
                    "fresh block " + blockId + " is still in use by " + e.getKey());
        }
    }

    private static void assertConsistent(BlockPool pool, KvCacheManager kv, Map<String, Request> live,
            Map<Integer, Content> shadow, int blockSize) {
        int[] holders = new int[pool.numBlocks()];
        for (Map.Entry<String, Request> e : live.entrySet()) {
            Request r = e.getValue();
            int[] table = kv.blockTable(e.getKey());
            assertArrayEquals(r.blockTable.stream().mapToInt(Integer::intValue).toArray(), table);
            assertEquals((r.tokens.size() + blockSize - 1) / blockSize, table.length, "blocks cover the tokens");
            assertEquals(r.tokens.size(), kv.numTokenSlots(e.getKey()));
            assertEquals(table.length, Arrays.stream(table).distinct().count(), "a block twice in one table");
            for (int b : table) {
                holders[b]++;
            }
        }
        int numReferenced = 0;
        for (int b = 0; b < holders.length; b++) {
            assertEquals(holders[b], pool.refCount(b), "refCount of block " + b + " equals its live holders");
            numReferenced += holders[b] > 0 ? 1 : 0;
            Optional<BlockHash> hash = pool.cachedHash(b);
            if (hash.isPresent()) {
                Content content = shadow.get(b);
                assertNotNull(content, "cached block " + b + " holds no computed content");
                List<BlockHash> chain =
                        BlockHasher.hashFullBlocks(toArray(content.tokens()), blockSize, content.namespace());
                assertEquals(chain.get(chain.size() - 1), hash.get(), "block " + b + " is cached under another hash");
            }
        }
        KvCacheStats stats = kv.stats();
        assertEquals(numReferenced, stats.numUsedBlocks());
        assertEquals(pool.numBlocks(), numReferenced + stats.numFreeBlocks(), "every block is free or referenced");
        assertEquals(live.size(), stats.numRunningRequests());
    }

    private static List<Integer> prompt(Op op) {
        int[] document = DOCUMENTS[op.b() % DOCUMENTS.length];
        int prefixLength = op.c() % (document.length + 1);
        List<Integer> prompt = new ArrayList<>();
        for (int i = 0; i < prefixLength; i++) {
            prompt.add(document[i]);
        }
        int suffixLength = (op.a() / 2) % 4;
        for (int i = 0; i < suffixLength || prompt.isEmpty(); i++) {
            prompt.add(300 + (op.b() + i) % 5);
        }
        return prompt;
    }

    private static Content content(BlockHash namespace, List<Integer> tokens, int numTokens) {
        return new Content(namespace, List.copyOf(tokens.subList(0, numTokens)));
    }

    private static int[] toArray(List<Integer> tokens) {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Documents share their first 6 tokens, so prefixes overlap across documents too. */
    private static int[] document(int id) {
        int[] tokens = new int[16];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i < 6 ? i : 100 * id + i;
        }
        return tokens;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(0, 100))
                .as(Op::new)
                .list()
                .ofMaxSize(60);
    }
}
