package io.prefixflow.runtime.cuda;

/**
 * bfloat16 conversion: the upper 16 bits of an IEEE float, rounded to nearest, ties to even.
 *
 * <p>Weights are converted once, at upload; the GPU kernels widen them back to F32 exactly
 * ({@link #toFloat} is exact). NaN stays NaN (quiet, same sign); values beyond the largest bfloat16
 * round to infinity as IEEE rounding says.
 */
public final class Bf16 {
    private Bf16() {
    }

    /** The bfloat16 nearest to {@code value} (ties to even), as its 16 bits. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            // NaN: keep sign and the top payload bits, force the quiet bit so truncation cannot make it infinity.
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    /** The float whose upper half is {@code bits} (exact). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Converts {@code count} floats from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void encode(float[] src, int srcOff, short[] dst, int dstOff, int count) {
        for (int i = 0; i < count; i++) {
            dst[dstOff + i] = fromFloat(src[srcOff + i]);
        }
    }
}
