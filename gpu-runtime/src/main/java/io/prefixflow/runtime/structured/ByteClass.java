package io.prefixflow.runtime.structured;

/**
 * A set of byte values 0..255 as four 64-bit words ({@code w0} holds bytes 0..63).
 */
record ByteClass(long w0, long w1, long w2, long w3) {
    static final ByteClass NONE = new ByteClass(0, 0, 0, 0);

    /** The bytes {@code lo..hi}, both inclusive. */
    static ByteClass range(int lo, int hi) {
        if (lo < 0 || hi > 255 || lo > hi) {
            throw new IllegalArgumentException("byte range " + lo + ".." + hi + " is not within 0..255");
        }
        long[] w = new long[4];
        for (int b = lo; b <= hi; b++) {
            w[b >>> 6] |= 1L << (b & 63);
        }
        return new ByteClass(w[0], w[1], w[2], w[3]);
    }

    static ByteClass of(int b) {
        return range(b, b);
    }

    boolean contains(int b) {
        long word = switch (b >>> 6) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
        };
        return (word >>> (b & 63) & 1L) != 0;
    }

    boolean isEmpty() {
        return (w0 | w1 | w2 | w3) == 0;
    }
}
