package io.prefixflow.kv.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Checks against MurmurHash3_x64_128 (seed 0) outputs produced by an independent implementation
 * (Apache Commons Codec {@code MurmurHash3.hash128x64}) over the little-endian bytes of the words; the
 * "hell" vector is also one of Guava's published {@code murmur3_128} test vectors.
 */
class Murmur3x64x128Test {
    private static final int[] WORDS = {
        0x01234567, 0x89abcdef, -1, 0, 42, 0x7fffffff, 0x80000000, 12345, 31337, -2
    };

    @Test
    void matchesReferenceForEveryTailLength() {
        assertWords(0, 0x0000000000000000L, 0x0000000000000000L);
        assertWords(1, 0x42ebe9d38d3b0c44L, 0x13bd38a4e2b18b70L);
        assertWords(2, 0x2d3b6317240e9619L, 0x58626c3be192190cL);
        assertWords(3, 0x56b47137090c577dL, 0xc193378b9b1388d6L);
        assertWords(4, 0x64f28f1ba4983082L, 0xd950dd4c3bb06893L);
        assertWords(5, 0x67e3e0fea85166b8L, 0x343fd99e9c676e4aL);
        assertWords(7, 0xf69822847952e01aL, 0xa20017361f257b83L);
        assertWords(8, 0xe0c5062bc1d01ba5L, 0x0dc546fe3680fda4L);
        assertWords(10, 0x3c5f4cc17ae7fd65L, 0x2d999369af5eb530L);
    }

    @Test
    void matchesGuavaVectorForHell() {
        Murmur3x64x128 murmur = new Murmur3x64x128(0);
        murmur.putInt('h' | 'e' << 8 | 'l' << 16 | 'l' << 24);
        assertEquals(new BlockHash(0x629942693e10f867L, 0x92db0b82baeb5347L), murmur.finish());
    }

    @Test
    void resetStartsOverAndPutLongIsTwoWordsLowFirst() {
        Murmur3x64x128 murmur = new Murmur3x64x128(0);
        murmur.putInts(WORDS, 0, 5);
        murmur.finish();
        murmur.reset(0);
        murmur.putLong((WORDS[0] & 0xffffffffL) | ((long) WORDS[1] << 32));
        murmur.putInts(WORDS, 2, 6);
        assertEquals(new BlockHash(0xe0c5062bc1d01ba5L, 0x0dc546fe3680fda4L), murmur.finish());
    }

    private static void assertWords(int numWords, long expectedHi, long expectedLo) {
        Murmur3x64x128 murmur = new Murmur3x64x128(0);
        murmur.putInts(WORDS, 0, numWords);
        assertEquals(new BlockHash(expectedHi, expectedLo), murmur.finish(), numWords + " words");
    }
}
