package io.prefixflow.runtime.tensor;

/**
 * Scalar conversions between {@code float} and the 16-bit formats IEEE binary16 (F16) and bfloat16
 * (BF16), as stored in model files. Both directions round to nearest, ties to even, as llama.cpp does.
 */
public final class Float16 {
    /** Largest finite F16 value, 65504. */
    public static final float F16_MAX = 65504f;

    private Float16() {
    }

    /** The F16 value with bits {@code bits} as a float (exact; infinities and NaN are kept). */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude(h << 13)) | sign);
    }

    /**
     * The F16 value with bits {@code bits} as a float, exact for finite values, without a branch on the
     * value's class: for block scales in hot loops. NOTE: infinities and NaN come out as large finite values.
     */
    public static float finiteF16ToFloat(short bits) {
        int h = bits;
        // sign-extended h: bit 31 is the sign
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude(h << 13)) | (h & 0x80000000));
    }

    /**
     * The magnitude of an F16 whose 15 exponent and mantissa bits sit in bits 13..27 of {@code shifted}
     * (other bits ignored), exactly.
     *
     * <p>NOTE: the exponent is rebiased in the integers (+112, F16 bias 15 against 127). An F16 subnormal
     * (exponent 0) gets one more (+113), so it reads as 2^-14 + m * 2^-24, and subtracting 2^-14 leaves exactly
     * m * 2^-24. This never puts a subnormal float into an arithmetic instruction: the earlier form (the bits
     * read as a float, times 2^112) did, for every F16 below 2^-14, and x86 takes a microcode assist of ~100
     * cycles on each such multiply; K-quant block minima are usually that small, and their rows decoded 3-4x
     * slower.
     */
    static float magnitude(int shifted) {
        int bits = shifted & 0x0fffe000;
        if (bits < (1 << 23)) {
            return Float.intBitsToFloat(bits + (113 << 23)) - 0x1p-14f;
        }
        return Float.intBitsToFloat(bits + (112 << 23));
    }

    /** {@code value} rounded to the nearest F16 (ties to even); overflow gives infinity, NaN stays NaN. */
    public static short floatToF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int absBits = f & 0x7fffffff;
        if (absBits >= 0x7f800000) {
            return (short) (sign | 0x7c00 | (absBits > 0x7f800000 ? 0x200 : 0));
        }
        if (absBits >= 0x477ff000) {
            // at least 65520 = F16_MAX + half an ulp: rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (absBits < 0x38800000) {
            // below the smallest normal F16 (2^-14): a subnormal, in units of 2^-24, rounded by the FPU
            float scaled = Float.intBitsToFloat(absBits) * 0x1p24f;
            int units = (int) Math.rint(scaled);
            return (short) (sign | units);
        }
        int exponent = (absBits >>> 23) - 127 + 15;
        int mantissa = absBits & 0x7fffff;
        int half = (exponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding
        }
        return (short) (sign | half);
    }

    /** The BF16 value with bits {@code bits} as a float (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** {@code value} rounded to the nearest BF16 (ties to even); NaN stays a quiet NaN. */
    public static short floatToBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if ((f & 0x7fffffff) > 0x7f800000) {
            return (short) ((f >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((f >>> 16) & 1);
        return (short) ((f + roundingBias) >>> 16);
    }
}
