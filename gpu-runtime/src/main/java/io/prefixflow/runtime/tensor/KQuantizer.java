package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * Block quantizers of the K-quants (256 values per block), for dummy weights and tests. They follow the
 * structure of ggml's {@code quantize_row_q*_K_ref} (sub-block scales and mins, themselves quantized
 * against one F16 super-block scale, then the values requantized with the stored scales) but pick each
 * sub-block's scale directly from its range instead of ggml's iterative error search, so their bytes are
 * valid blocks of the type but not the ones ggml would write for the same input.
 */
final class KQuantizer {
    private static final int BLOCK_VALUES = 256;

    private KQuantizer() {
    }

    /** Writes one Q4_K block (144 bytes) for {@code src[srcOff .. srcOff + 256)} at {@code dst[dstByte]}. */
    static void quantizeQ4_KBlock(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        int[] q = new int[BLOCK_VALUES];
        quantizeScaleMin32(src, srcOff, 15, dst, dstByte, q);
        for (int pair = 0; pair < 4; pair++) {
            for (int l = 0; l < 32; l++) {
                dst.put(dstByte + 16 + 32 * pair + l, (byte) (q[64 * pair + l] | q[64 * pair + 32 + l] << 4));
            }
        }
    }

    /** Writes one Q5_K block (176 bytes): as Q4_K with 5-bit quants, fifth bits in {@code qh}. */
    static void quantizeQ5_KBlock(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        int[] q = new int[BLOCK_VALUES];
        quantizeScaleMin32(src, srcOff, 31, dst, dstByte, q);
        for (int l = 0; l < 32; l++) {
            int qh = 0;
            for (int j = 0; j < 8; j++) {
                qh |= (q[32 * j + l] >>> 4) << j;
            }
            dst.put(dstByte + 16 + l, (byte) qh);
        }
        for (int pair = 0; pair < 4; pair++) {
            for (int l = 0; l < 32; l++) {
                int low = q[64 * pair + l] & 15;
                int high = q[64 * pair + 32 + l] & 15;
                dst.put(dstByte + 48 + 32 * pair + l, (byte) (low | high << 4));
            }
        }
    }

    /**
     * The shared part of Q4_K and Q5_K: 8 sub-blocks of 32 with scale {@code (max - min) / nmax} and min
     * {@code min(0, min)}; both quantized to 6 bits against F16 d and dmin; quants {@code 0 .. nmax} into
     * {@code q}; writes d, dmin and the 12 packed scale bytes.
     */
    private static void quantizeScaleMin32(float[] src, int srcOff, int nmax, ByteBuffer dst, int dstByte, int[] q) {
        float[] scales = new float[8];
        float[] mins = new float[8];
        rangeScales(src, srcOff, 32, nmax, scales, mins);
        int[] ls = new int[8];
        int[] lm = new int[8];
        float d = superScale(scales, 63, ls);
        float dMin = superScale(mins, 63, lm);
        dst.putShort(dstByte, Float16.floatToF16(d));
        dst.putShort(dstByte + 2, Float16.floatToF16(dMin));
        for (int j = 0; j < 12; j++) {
            dst.put(dstByte + 4 + j, (byte) 0);
        }
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                dst.put(dstByte + 4 + j, (byte) ls[j]);
                dst.put(dstByte + 4 + j + 4, (byte) lm[j]);
            } else {
                dst.put(dstByte + 4 + j + 4, (byte) ((ls[j] & 15) | (lm[j] & 15) << 4));
                dst.put(dstByte + 4 + j - 4, (byte) (dst.get(dstByte + 4 + j - 4) | (ls[j] >>> 4) << 6));
                dst.put(dstByte + 4 + j, (byte) (dst.get(dstByte + 4 + j) | (lm[j] >>> 4) << 6));
            }
        }
        requantizeWithMins(src, srcOff, 32, nmax, Float16.f16ToFloat(Float16.floatToF16(d)), ls,
                Float16.f16ToFloat(Float16.floatToF16(dMin)), lm, q);
    }

    /** Writes one Q2_K block (84 bytes): 16 groups of 16, 4-bit scales and mins, 2-bit quants. */
    static void quantizeQ2_KBlock(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float[] scales = new float[16];
        float[] mins = new float[16];
        rangeScales(src, srcOff, 16, 3, scales, mins);
        int[] ls = new int[16];
        int[] lm = new int[16];
        float d = superScale(scales, 15, ls);
        float dMin = superScale(mins, 15, lm);
        for (int g = 0; g < 16; g++) {
            dst.put(dstByte + g, (byte) (ls[g] | lm[g] << 4));
        }
        dst.putShort(dstByte + 80, Float16.floatToF16(d));
        dst.putShort(dstByte + 82, Float16.floatToF16(dMin));
        int[] q = new int[BLOCK_VALUES];
        requantizeWithMins(src, srcOff, 16, 3, Float16.f16ToFloat(Float16.floatToF16(d)), ls,
                Float16.f16ToFloat(Float16.floatToF16(dMin)), lm, q);
        packTwoBits(q, dst, dstByte + 16);
    }

    /** Writes one Q3_K block (110 bytes): 16 groups of 16, signed 6-bit scales, quants -4..3. */
    static void quantizeQ3_KBlock(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float[] scales = signedMaxScales(src, srcOff, 4);
        float maxScale = largestMagnitude(scales);
        float iscale = maxScale != 0f ? -32f / maxScale : 0f;
        float d = maxScale != 0f ? 1f / iscale : 0f;
        float storedD = Float16.f16ToFloat(Float16.floatToF16(d));
        for (int j = 0; j < 12; j++) {
            dst.put(dstByte + 96 + j, (byte) 0);
        }
        int[] q = new int[BLOCK_VALUES];
        for (int g = 0; g < 16; g++) {
            int l = Math.max(-32, Math.min(31, (int) Math.rint(iscale * scales[g]))) + 32;
            int low = g < 8 ? g : g - 8;
            int shift = g < 8 ? 0 : 4;
            dst.put(dstByte + 96 + low, (byte) (dst.get(dstByte + 96 + low) | (l & 15) << shift));
            int high = dstByte + 96 + 8 + g % 4;
            dst.put(high, (byte) (dst.get(high) | (l >>> 4) << (2 * (g / 4))));
            float dq = storedD * (l - 32);
            for (int i = 16 * g; i < 16 * g + 16; i++) {
                q[i] = dq == 0f ? 4 : Math.max(-4, Math.min(3, (int) Math.rint(src[srcOff + i] / dq))) + 4;
            }
        }
        dst.putShort(dstByte + 108, Float16.floatToF16(d));
        for (int l = 0; l < 32; l++) {
            int mask = 0;
            for (int j = 0; j < 8; j++) {
                mask |= (q[32 * j + l] >>> 2) << j;
            }
            dst.put(dstByte + l, (byte) mask);
        }
        for (int i = 0; i < BLOCK_VALUES; i++) {
            q[i] &= 3;
        }
        packTwoBits(q, dst, dstByte + 32);
    }

    /** Writes one Q6_K block (210 bytes): 16 groups of 16, int8 scales, quants -32..31. */
    static void quantizeQ6_KBlock(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float[] scales = signedMaxScales(src, srcOff, 32);
        float maxScale = largestMagnitude(scales);
        float iscale = maxScale != 0f ? -128f / maxScale : 0f;
        float d = maxScale != 0f ? 1f / iscale : 0f;
        float storedD = Float16.f16ToFloat(Float16.floatToF16(d));
        int[] q = new int[BLOCK_VALUES];
        for (int g = 0; g < 16; g++) {
            int sc = Math.max(-128, Math.min(127, (int) Math.rint(iscale * scales[g])));
            dst.put(dstByte + 192 + g, (byte) sc);
            float dq = storedD * sc;
            for (int i = 16 * g; i < 16 * g + 16; i++) {
                q[i] = dq == 0f ? 32 : Math.max(-32, Math.min(31, (int) Math.rint(src[srcOff + i] / dq))) + 32;
            }
        }
        dst.putShort(dstByte + 208, Float16.floatToF16(d));
        for (int n = 0; n < 2; n++) {
            for (int l = 0; l < 32; l++) {
                int q1 = q[128 * n + l];
                int q2 = q[128 * n + 32 + l];
                int q3 = q[128 * n + 64 + l];
                int q4 = q[128 * n + 96 + l];
                dst.put(dstByte + 64 * n + l, (byte) ((q1 & 15) | (q3 & 15) << 4));
                dst.put(dstByte + 64 * n + 32 + l, (byte) ((q2 & 15) | (q4 & 15) << 4));
                dst.put(dstByte + 128 + 32 * n + l, (byte) ((q1 >>> 4) | (q2 >>> 4) << 2 | (q3 >>> 4) << 4 | (q4 >>> 4) << 6));
            }
        }
    }

    /** Per group of {@code groupSize}: scale {@code (max - min) / nmax} and min {@code -min(0, min)}. */
    private static void rangeScales(float[] src, int srcOff, int groupSize, int nmax, float[] scales, float[] mins) {
        for (int g = 0; g < scales.length; g++) {
            float min = 0f;
            float max = 0f;
            for (int i = srcOff + g * groupSize; i < srcOff + (g + 1) * groupSize; i++) {
                min = Math.min(min, src[i]);
                max = Math.max(max, src[i]);
            }
            scales[g] = (max - min) / nmax;
            mins[g] = -min;
        }
    }

    /** Quantizes non-negative {@code values} to {@code 0 .. levels} against their max; returns the step. */
    private static float superScale(float[] values, int levels, int[] quantized) {
        float max = 0f;
        for (float v : values) {
            max = Math.max(max, v);
        }
        float inverse = max > 0f ? levels / max : 0f;
        for (int i = 0; i < values.length; i++) {
            quantized[i] = Math.min(levels, (int) Math.rint(inverse * values[i]));
        }
        return max / levels;
    }

    /** Quants {@code rint((x + dMin * lm) / (d * ls))} clamped to {@code 0 .. nmax}, per group. */
    private static void requantizeWithMins(float[] src, int srcOff, int groupSize, int nmax, float d, int[] ls,
                                           float dMin, int[] lm, int[] q) {
        for (int g = 0; g < ls.length; g++) {
            float dq = d * ls[g];
            float dm = dMin * lm[g];
            for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
                q[i] = dq == 0f ? 0 : Math.max(0, Math.min(nmax, (int) Math.rint((src[srcOff + i] + dm) / dq)));
            }
        }
    }

    /** Per group of 16: the signed value of largest magnitude divided by {@code -nmax}. */
    private static float[] signedMaxScales(float[] src, int srcOff, int nmax) {
        float[] scales = new float[16];
        for (int g = 0; g < 16; g++) {
            float amax = 0f;
            float max = 0f;
            for (int i = srcOff + 16 * g; i < srcOff + 16 * g + 16; i++) {
                if (Math.abs(src[i]) > amax) {
                    amax = Math.abs(src[i]);
                    max = src[i];
                }
            }
            scales[g] = max / -nmax;
        }
        return scales;
    }

    private static float largestMagnitude(float[] values) {
        float best = 0f;
        for (float v : values) {
            if (Math.abs(v) > Math.abs(best)) {
                best = v;
            }
        }
        return best;
    }

    /** 2-bit quants {@code q[0 .. 256)} into 64 bytes: byte {@code 32n + l} holds elements 128n + l + 32k at bits 2k. */
    private static void packTwoBits(int[] q, ByteBuffer dst, int at) {
        for (int n = 0; n < 2; n++) {
            for (int l = 0; l < 32; l++) {
                int b = q[128 * n + l] | q[128 * n + 32 + l] << 2 | q[128 * n + 64 + l] << 4 | q[128 * n + 96 + l] << 6;
                dst.put(at + 32 * n + l, (byte) b);
            }
        }
    }
}
