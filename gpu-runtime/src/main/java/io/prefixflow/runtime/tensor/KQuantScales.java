package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * The packed sub-block scales of the K-quants, decoded as ggml does ({@code get_scale_min_k4} and
 * Q3_K's scale shuffle): a Q4_K/Q5_K block's all at once or one at a time from a byte array (vector
 * kernels), or one at a time from a buffer (scalar references).
 *
 * <pre>
 * Q4_K / Q5_K, 12 bytes s, 8 six-bit scales and mins, sub-block j:
 *   j &lt; 4:  scale = s[j] &amp; 63,                            min = s[j+4] &amp; 63
 *   j &gt;= 4: scale = (s[j+4] &amp; 15) | (s[j-4] &gt;&gt; 6) &lt;&lt; 4,  min = (s[j+4] &gt;&gt; 4) | (s[j] &gt;&gt; 6) &lt;&lt; 4
 * Q3_K, 12 bytes s, 16 six-bit scales biased by 32, group i:
 *   low4 = i &lt; 8 ? s[i] &amp; 15 : s[i-8] &gt;&gt; 4;  high2 = (s[8 + i%4] &gt;&gt; 2*(i/4)) &amp; 3;  scale = (low4 | high2 &lt;&lt; 4) - 32
 * </pre>
 */
final class KQuantScales {
    private KQuantScales() {
    }

    /**
     * All 8 six-bit scales of a Q4_K/Q5_K block at once, scale j in byte j of the result ({@link #packed}): the
     * formulas above on all bytes together, from one 8-byte and one 4-byte read.
     */
    static long scalesK4(byte[] s, int off) {
        long head = QuantLanes.int64(s, off);
        long tail = QuantLanes.int32(s, off + 8) & 0xFFFFFFFFL;
        long low = head & 0x3F3F3F3FL;
        long high = (tail & 0x0F0F0F0FL) | ((head >>> 2) & 0x30303030L);
        return low | high << 32;
    }

    /** All 8 six-bit mins of a Q4_K/Q5_K block at once, min j in byte j of the result ({@link #packed}). */
    static long minsK4(byte[] s, int off) {
        long head = QuantLanes.int64(s, off);
        long tail = QuantLanes.int32(s, off + 8) & 0xFFFFFFFFL;
        long low = (head >>> 32) & 0x3F3F3F3FL;
        long high = ((tail >>> 4) & 0x0F0F0F0FL) | ((head >>> 34) & 0x30303030L);
        return low | high << 32;
    }

    /** Byte {@code j} of {@link #scalesK4} or {@link #minsK4}. */
    static int packed(long bytes, int j) {
        return (int) (bytes >>> (8 * j)) & 0xff;
    }

    static int scaleK4(byte[] s, int off, int j) {
        return j < 4 ? s[off + j] & 63 : (s[off + j + 4] & 15) | ((s[off + j - 4] & 0xff) >>> 6) << 4;
    }

    static int minK4(byte[] s, int off, int j) {
        return j < 4 ? s[off + j + 4] & 63 : ((s[off + j + 4] & 0xff) >>> 4) | ((s[off + j] & 0xff) >>> 6) << 4;
    }

    static int scaleK4(ByteBuffer s, int off, int j) {
        return j < 4 ? s.get(off + j) & 63 : (s.get(off + j + 4) & 15) | ((s.get(off + j - 4) & 0xff) >>> 6) << 4;
    }

    static int minK4(ByteBuffer s, int off, int j) {
        return j < 4 ? s.get(off + j + 4) & 63
                : ((s.get(off + j + 4) & 0xff) >>> 4) | ((s.get(off + j) & 0xff) >>> 6) << 4;
    }

    static int scaleQ3K(byte[] s, int off, int i) {
        int low4 = i < 8 ? s[off + i] & 15 : (s[off + i - 8] & 0xff) >>> 4;
        int high2 = ((s[off + 8 + i % 4] & 0xff) >>> (2 * (i / 4))) & 3;
        return (low4 | high2 << 4) - 32;
    }

    static int scaleQ3K(ByteBuffer s, int off, int i) {
        int low4 = i < 8 ? s.get(off + i) & 15 : (s.get(off + i - 8) & 0xff) >>> 4;
        int high2 = ((s.get(off + 8 + i % 4) & 0xff) >>> (2 * (i / 4))) & 3;
        return (low4 | high2 << 4) - 32;
    }
}
