package io.prefixflow.runtime.tensor;

import java.util.Locale;

/**
 * How activations are rounded before a matrix product.
 *
 * <ul>
 *   <li>{@link #NONE}: products take the float activations as they are (the default; the most exact).</li>
 *   <li>{@link #GGML}: each activation row is first rounded as llama.cpp's CPU backend rounds it for the weight's
 *       type ({@code vec_dot_type}): to 8 bits per 256 values with a float scale (Q8_K) before a K-quant matrix,
 *       to 8 bits per 32 values with an F16 scale (Q8_0, Q8_1) before a Q4_0, Q4_1, Q5_0, Q5_1 or Q8_0 one, to
 *       F16 or BF16 before an F16 or BF16 one; F32 matrices take floats. The products then compute, up to the
 *       order of float additions, what llama.cpp's integer dot products compute, so greedy tokens follow
 *       llama.cpp's on the same file instead of differing at near ties.</li>
 * </ul>
 * Rounding is per row, so a sequence's logits still do not depend on its batch mates.
 */
public enum ActivationRounding {
    NONE, GGML;

    /** Parses {@code none} or {@code ggml} (any case). */
    public static ActivationRounding parse(String name) {
        String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (ActivationRounding r : values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("activation rounding '" + name + "': expected none or ggml");
    }

    /** The name used in options: {@code none}, {@code ggml}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether activations change before a product with a matrix of {@code weightType}. */
    public boolean applies(GgmlType weightType) {
        return this == GGML && weightType != GgmlType.F32;
    }

    /**
     * Rounds {@code numTokens} rows of {@code cols} values ({@code x[t * stride ..]}) as ggml does before a product
     * with a {@code weightType} matrix, into {@code out} at the same offsets. Allocates nothing.
     */
    public static void roundRows(GgmlType weightType, float[] x, int stride, int numTokens, int cols, float[] out) {
        for (int t = 0; t < numTokens; t++) {
            int off = t * stride;
            switch (weightType) {
                case F32 -> System.arraycopy(x, off, out, off, cols);
                case F16 -> {
                    for (int c = 0; c < cols; c++) {
                        out[off + c] = Float16.f16ToFloat(Float16.floatToF16(x[off + c]));
                    }
                }
                case BF16 -> {
                    for (int c = 0; c < cols; c++) {
                        out[off + c] = Float16.bf16ToFloat(Float16.floatToBf16(x[off + c]));
                    }
                }
                case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 -> roundQ8_0(x, off, cols, out);
                case Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> roundQ8K(x, off, cols, out);
            }
        }
    }

    /**
     * Q8_0 and Q8_1 as ggml's x86 code makes them: per 32 values, d = amax / 127 stored as F16, q = the nearest
     * integer (ties to even) of x * (127 / amax); the value is q * d after the F16 round trip.
     */
    static void roundQ8_0(float[] x, int off, int cols, float[] out) {
        for (int b = 0; b < cols; b += 32) {
            int n = Math.min(32, cols - b);
            float amax = 0;
            for (int j = 0; j < n; j++) {
                amax = Math.max(amax, Math.abs(x[off + b + j]));
            }
            float d = Float16.f16ToFloat(Float16.floatToF16(amax / 127f));
            float id = amax != 0 ? 127f / amax : 0f;
            for (int j = 0; j < n; j++) {
                float q = (float) Math.rint(x[off + b + j] * id);
                out[off + b + j] = q * d;
            }
        }
    }

    /**
     * Q8_K as ggml's {@code quantize_row_q8_K_ref} makes it: per 256 values, max = the first value of largest
     * magnitude, iscale = -127 / max, q = min(127, nearest integer (ties to even) of iscale * x), d = 1 / iscale;
     * the value is q * d.
     */
    static void roundQ8K(float[] x, int off, int cols, float[] out) {
        for (int b = 0; b < cols; b += 256) {
            int n = Math.min(256, cols - b);
            float max = 0;
            float amax = 0;
            for (int j = 0; j < n; j++) {
                float ax = Math.abs(x[off + b + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[off + b + j];
                }
            }
            if (amax == 0) {
                for (int j = 0; j < n; j++) {
                    out[off + b + j] = 0f;
                }
                continue;
            }
            float iscale = -127f / max;
            float d = 1f / iscale;
            for (int j = 0; j < n; j++) {
                float q = Math.min(127f, (float) Math.rint(iscale * x[off + b + j]));
                out[off + b + j] = q * d;
            }
        }
    }
}
