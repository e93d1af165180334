package io.prefixflow.kv.hash;

/**
 * Streaming MurmurHash3 x64_128 (Austin Appleby's public-domain algorithm, written here from its
 * description) over 32-bit words.
 *
 * <p>Words are consumed as their little-endian bytes, so hashing ints {@code a, b, ...} gives the same
 * result as the reference {@code MurmurHash3_x64_128} over the bytes {@code a0 a1 a2 a3 b0 ...}; the
 * tests check this against published vectors. Input is processed in 16-byte blocks of two longs:
 *
 * <pre>
 *   word slot:   0        1        2        3
 *                [k1 lo32][k1 hi32][k2 lo32][k2 hi32]   -> mixed into (h1, h2) when slot 3 fills
 * </pre>
 *
 * <p>Not thread-safe; allocation-free after construction. Use one instance per hash being computed.
 */
final class Murmur3x64x128 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private long h1;
    private long h2;
    private long k1;
    private long k2;
    private int numPendingWords;
    private long numBytes;

    Murmur3x64x128(long seed) {
        reset(seed);
    }

    /** Starts a new hash; the reference algorithm's seed is 32 bits, wider seeds extend it. */
    void reset(long seed) {
        h1 = seed;
        h2 = seed;
        k1 = 0;
        k2 = 0;
        numPendingWords = 0;
        numBytes = 0;
    }

    void putInt(int word) {
        long unsigned = word & 0xffffffffL;
        switch (numPendingWords) {
            case 0 -> k1 = unsigned;
            case 1 -> k1 |= unsigned << 32;
            case 2 -> k2 = unsigned;
            default -> {
                k2 |= unsigned << 32;
                mixBlock(k1, k2);
                k1 = 0;
                k2 = 0;
            }
        }
        numPendingWords = (numPendingWords + 1) & 3;
        numBytes += Integer.BYTES;
    }

    /** Low 32 bits first, so a long hashes like its 8 little-endian bytes. */
    void putLong(long value) {
        putInt((int) value);
        putInt((int) (value >>> 32));
    }

    void putInts(int[] words, int fromIndex, int numWords) {
        for (int i = fromIndex, end = fromIndex + numWords; i < end; i++) {
            putInt(words[i]);
        }
    }

    /** Finishes the hash ({@code hi} = the reference's h1, {@code lo} = h2); {@link #reset} before reuse. */
    BlockHash finish() {
        if (numPendingWords > 2) {
            h2 ^= mixK2(k2);
        }
        if (numPendingWords > 0) {
            h1 ^= mixK1(k1);
        }
        long a = h1 ^ numBytes;
        long b = h2 ^ numBytes;
        a += b;
        b += a;
        a = fmix64(a);
        b = fmix64(b);
        a += b;
        b += a;
        // NOTE: hi is the reference's first output word h1, lo its second h2.
        return new BlockHash(a, b);
    }

    private void mixBlock(long blockK1, long blockK2) {
        h1 ^= mixK1(blockK1);
        h1 = Long.rotateLeft(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729;

        h2 ^= mixK2(blockK2);
        h2 = Long.rotateLeft(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5;
    }

    private static long mixK1(long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }

    private static long mixK2(long k) {
        k *= C2;
        k = Long.rotateLeft(k, 33);
        return k * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
