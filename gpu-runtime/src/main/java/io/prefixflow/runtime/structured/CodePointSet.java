package io.prefixflow.runtime.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of Unicode scalar values (code points without the surrogates) as sorted, disjoint, non-adjacent
 * inclusive ranges; immutable.
 */
final class CodePointSet {
    static final int MAX_CODE_POINT = 0x10FFFF;
    static final CodePointSet EMPTY = new CodePointSet(new int[0]);
    /** Every scalar value. */
    static final CodePointSet ALL = EMPTY.plus(0, MAX_CODE_POINT);

    /** lo0, hi0, lo1, hi1, ... */
    private final int[] bounds;

    private CodePointSet(int[] bounds) {
        this.bounds = bounds;
    }

    static CodePointSet of(int lo, int hi) {
        return EMPTY.plus(lo, hi);
    }

    static CodePointSet of(int codePoint) {
        return of(codePoint, codePoint);
    }

    /** This set plus {@code lo..hi}, surrogates left out. */
    CodePointSet plus(int lo, int hi) {
        if (lo > hi) {
            return this;
        }
        List<int[]> ranges = new ArrayList<>(ranges());
        ranges.add(new int[] {lo, hi});
        return normalized(ranges);
    }

    CodePointSet plus(CodePointSet other) {
        List<int[]> ranges = new ArrayList<>(ranges());
        ranges.addAll(other.ranges());
        return normalized(ranges);
    }

    /** Scalar values not in this set. */
    CodePointSet complement() {
        List<int[]> out = new ArrayList<>();
        int next = 0;
        for (int[] r : ranges()) {
            if (r[0] > next) {
                out.add(new int[] {next, r[0] - 1});
            }
            next = r[1] + 1;
        }
        if (next <= MAX_CODE_POINT) {
            out.add(new int[] {next, MAX_CODE_POINT});
        }
        return normalized(out);
    }

    CodePointSet minus(CodePointSet other) {
        return complement().plus(other).complement();
    }

    boolean contains(int codePoint) {
        for (int i = 0; i < bounds.length; i += 2) {
            if (codePoint >= bounds[i] && codePoint <= bounds[i + 1]) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return bounds.length == 0;
    }

    List<int[]> ranges() {
        List<int[]> out = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) {
            out.add(new int[] {bounds[i], bounds[i + 1]});
        }
        return out;
    }

    /** The set as a byte regex: one alternative per run of UTF-8 sequences with per-byte ranges. */
    ByteRegex toByteRegex() {
        List<ByteRegex> options = new ArrayList<>();
        for (int[] r : ranges()) {
            Utf8Sequences.split(r[0], r[1], options);
        }
        return options.isEmpty() ? ByteRegex.NOTHING : ByteRegex.alt(options);
    }

    private static CodePointSet normalized(List<int[]> ranges) {
        List<int[]> clipped = new ArrayList<>();
        for (int[] r : ranges) {
            int lo = Math.max(0, r[0]);
            int hi = Math.min(MAX_CODE_POINT, r[1]);
            // Surrogates are not scalar values and have no UTF-8 form.
            if (lo <= Math.min(hi, 0xD7FF)) {
                clipped.add(new int[] {lo, Math.min(hi, 0xD7FF)});
            }
            if (Math.max(lo, 0xE000) <= hi) {
                clipped.add(new int[] {Math.max(lo, 0xE000), hi});
            }
        }
        clipped.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] out = new int[clipped.size() * 2];
        int n = 0;
        for (int[] r : clipped) {
            if (n > 0 && r[0] <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], r[1]);
            } else {
                out[n++] = r[0];
                out[n++] = r[1];
            }
        }
        return new CodePointSet(Arrays.copyOf(out, n));
    }
}
