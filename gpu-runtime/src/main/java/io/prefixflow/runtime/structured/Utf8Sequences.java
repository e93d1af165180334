package io.prefixflow.runtime.structured;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a range of code points into byte regexes over their UTF-8 forms: the range is split until, in
 * each piece, every byte position of the encoding spans one contiguous byte range (as RE2 does).
 */
final class Utf8Sequences {
    private static final int[] LENGTH_LIMITS = {0x7F, 0x7FF, 0xFFFF};

    private Utf8Sequences() {
    }

    /** Adds to {@code out} one sequence regex per piece of {@code lo..hi} (scalar values, no surrogates). */
    static void split(int lo, int hi, List<ByteRegex> out) {
        for (int limit : LENGTH_LIMITS) {
            if (lo <= limit && limit < hi) {
                split(lo, limit, out);
                split(limit + 1, hi, out);
                return;
            }
        }
        if (hi < 0x80) {
            out.add(new ByteRegex.Bytes(ByteClass.range(lo, hi)));
            return;
        }
        for (int i = 1; i < 4; i++) {
            int mask = (1 << (6 * i)) - 1;
            if ((lo & ~mask) != (hi & ~mask)) {
                if ((lo & mask) != 0) {
                    split(lo, lo | mask, out);
                    split((lo | mask) + 1, hi, out);
                    return;
                }
                if ((hi & mask) != mask) {
                    split(lo, (hi & ~mask) - 1, out);
                    split(hi & ~mask, hi, out);
                    return;
                }
            }
        }
        byte[] a = encode(lo);
        byte[] b = encode(hi);
        List<ByteRegex> items = new ArrayList<>(a.length);
        for (int i = 0; i < a.length; i++) {
            items.add(new ByteRegex.Bytes(ByteClass.range(a[i] & 0xFF, b[i] & 0xFF)));
        }
        out.add(new ByteRegex.Seq(items));
    }

    static byte[] encode(int codePoint) {
        return new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
