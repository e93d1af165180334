package io.prefixflow.kv.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BlockHasherTest {
    private static final BlockHash NS = BlockHasher.namespace("llama-3-8b", "");

    @Test
    void hashesOnlyFullBlocks() {
        assertEquals(12, BlockHasher.hashFullBlocks(new int[200], 16, NS).size());
        assertEquals(0, BlockHasher.hashFullBlocks(new int[15], 16, NS).size());
        assertEquals(2, BlockHasher.hashFullBlocks(new int[32], 16, NS).size());
    }

    @Test
    void chainStartsAtRootParentAndLinksEachBlockToItsParent() {
        int[] tokens = sequence(48);
        List<BlockHash> hashes = BlockHasher.hashFullBlocks(tokens, 16, NS);
        assertEquals(BlockHasher.hashBlock(BlockHasher.ROOT_PARENT, tokens, 0, 16, NS), hashes.get(0));
        assertEquals(BlockHasher.hashBlock(hashes.get(0), tokens, 16, 16, NS), hashes.get(1));
        assertEquals(BlockHasher.hashBlock(hashes.get(1), tokens, 32, 16, NS), hashes.get(2));
    }

    @Test
    void namespacesSeparateModelsAndSalts() {
        Set<BlockHash> namespaces = new HashSet<>(List.of(
                BlockHasher.namespace("m", ""),
                BlockHasher.namespace("m", "tenant-a"),
                BlockHasher.namespace("m", "tenant-b"),
                BlockHasher.namespace("m2", ""),
                BlockHasher.namespace("ab", "c"),
                BlockHasher.namespace("a", "bc"),
                BlockHasher.namespace("a\0", ""),
                BlockHasher.namespace("a", "")));
        assertEquals(8, namespaces.size());
        assertEquals(BlockHasher.namespace("m", "tenant-a"), BlockHasher.namespace("m", "tenant-a"));
    }

    @Test
    void sameTokensInDifferentNamespacesHashDifferently() {
        int[] tokens = sequence(16);
        assertNotEquals(
                BlockHasher.hashFullBlocks(tokens, 16, BlockHasher.namespace("m", "a")),
                BlockHasher.hashFullBlocks(tokens, 16, BlockHasher.namespace("m", "b")));
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> BlockHasher.hashFullBlocks(new int[4], 0, NS));
        assertEquals("blockSize must be > 0 tokens, got 0", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> BlockHasher.hashBlock(BlockHasher.ROOT_PARENT, new int[20], 8, 16, NS));
        assertThrows(NullPointerException.class, () -> BlockHasher.namespace("m", null));
    }

    @Property
    void equalHashMeansEqualPrefix(
            @ForAll @Size(min = 4, max = 24) int[] a,
            @ForAll @IntRange(min = 0, max = 23) int changedIndex,
            @ForAll @IntRange(min = 1, max = 4) int blockSize) {
        int[] b = a.clone();
        int index = changedIndex % a.length;
        b[index]++;
        List<BlockHash> ha = BlockHasher.hashFullBlocks(a, blockSize, NS);
        List<BlockHash> hb = BlockHasher.hashFullBlocks(b, blockSize, NS);
        for (int block = 0; block < ha.size(); block++) {
            boolean coversChange = (block + 1) * blockSize > index;
            assertEquals(!coversChange, ha.get(block).equals(hb.get(block)), "block " + block);
        }
    }

    private static int[] sequence(int numTokens) {
        int[] tokens = new int[numTokens];
        for (int i = 0; i < numTokens; i++) {
            tokens[i] = 1000 + i;
        }
        return tokens;
    }
}
