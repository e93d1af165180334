package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * Block quantizers of the 32-value types with the arithmetic of llama.cpp's reference ones
 * ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref}, {@code _q4_1_ref}, {@code _q5_0_ref},
 * {@code _q5_1_ref}): the scale is computed in float, stored as F16, and the float (unrounded) scale's
 * inverse quantizes the values.
 */
final class Quantizer {
    private static final int BLOCK_VALUES = 32;

    private Quantizer() {
    }

    /** Writes one Q8_0 block (34 bytes) for {@code src[srcOff .. srcOff + 32)} at {@code dst[dstByte]}. */
    static void quantizeQ8_0Block(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float amax = 0f;
        for (int j = 0; j < BLOCK_VALUES; j++) {
            amax = Math.max(amax, Math.abs(src[srcOff + j]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        dst.putShort(dstByte, Float16.floatToF16(d));
        for (int j = 0; j < BLOCK_VALUES; j++) {
            dst.put(dstByte + 2 + j, (byte) roundHalfAwayFromZero(src[srcOff + j] * id));
        }
    }

    /**
     * Writes one Q4_0 block (18 bytes) for {@code src[srcOff .. srcOff + 32)} at {@code dst[dstByte]}.
     * The scale is the value of largest magnitude divided by -8, so that value maps to nibble 0 exactly.
     */
    static void quantizeQ4_0Block(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < BLOCK_VALUES; j++) {
            float v = src[srcOff + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0f ? 1f / d : 0f;
        dst.putShort(dstByte, Float16.floatToF16(d));
        int half = BLOCK_VALUES / 2;
        for (int j = 0; j < half; j++) {
            // (int) truncates like C's (int8_t) cast; x * id lies in [-8, 8], so the sum is non-negative
            int low = Math.min(15, (int) (src[srcOff + j] * id + 8.5f));
            int high = Math.min(15, (int) (src[srcOff + half + j] * id + 8.5f));
            dst.put(dstByte + 2 + j, (byte) (low | (high << 4)));
        }
    }

    /**
     * Writes one Q4_1 block (20 bytes): d = (max - min) / 15 and m = min, both stored as F16, quants
     * {@code (x - min) / d} rounded half up and clamped to 15, as {@code quantize_row_q4_1_ref}.
     */
    static void quantizeQ4_1Block(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < BLOCK_VALUES; j++) {
            min = Math.min(min, src[srcOff + j]);
            max = Math.max(max, src[srcOff + j]);
        }
        float d = (max - min) / 15f;
        float id = d != 0f ? 1f / d : 0f;
        dst.putShort(dstByte, Float16.floatToF16(d));
        dst.putShort(dstByte + 2, Float16.floatToF16(min));
        int half = BLOCK_VALUES / 2;
        for (int j = 0; j < half; j++) {
            int low = Math.min(15, (int) ((src[srcOff + j] - min) * id + 0.5f));
            int high = Math.min(15, (int) ((src[srcOff + half + j] - min) * id + 0.5f));
            dst.put(dstByte + 4 + j, (byte) (low | (high << 4)));
        }
    }

    /**
     * Writes one Q5_0 block (22 bytes): the scale is the signed max divided by -16, as
     * {@code quantize_row_q5_0_ref}; the fifth bits go to the u32 at byte 2.
     */
    static void quantizeQ5_0Block(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < BLOCK_VALUES; j++) {
            float v = src[srcOff + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -16f;
        float id = d != 0f ? 1f / d : 0f;
        dst.putShort(dstByte, Float16.floatToF16(d));
        int qh = 0;
        int half = BLOCK_VALUES / 2;
        for (int j = 0; j < half; j++) {
            int low = Math.min(31, (int) (src[srcOff + j] * id + 16.5f));
            int high = Math.min(31, (int) (src[srcOff + half + j] * id + 16.5f));
            dst.put(dstByte + 6 + j, (byte) ((low & 15) | ((high & 15) << 4)));
            qh |= ((low >>> 4) & 1) << j;
            qh |= ((high >>> 4) & 1) << (j + half);
        }
        dst.putInt(dstByte + 2, qh);
    }

    /** Writes one Q5_1 block (24 bytes): d = (max - min) / 31, m = min, as {@code quantize_row_q5_1_ref}. */
    static void quantizeQ5_1Block(float[] src, int srcOff, ByteBuffer dst, int dstByte) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < BLOCK_VALUES; j++) {
            min = Math.min(min, src[srcOff + j]);
            max = Math.max(max, src[srcOff + j]);
        }
        float d = (max - min) / 31f;
        float id = d != 0f ? 1f / d : 0f;
        dst.putShort(dstByte, Float16.floatToF16(d));
        dst.putShort(dstByte + 2, Float16.floatToF16(min));
        int qh = 0;
        int half = BLOCK_VALUES / 2;
        for (int j = 0; j < half; j++) {
            // NOTE: ggml casts to uint8_t without a clamp; (max - min) * id rounds to at most 31.5
            int low = Math.min(31, (int) ((src[srcOff + j] - min) * id + 0.5f));
            int high = Math.min(31, (int) ((src[srcOff + half + j] - min) * id + 0.5f));
            dst.put(dstByte + 8 + j, (byte) ((low & 15) | ((high & 15) << 4)));
            qh |= ((low >>> 4) & 1) << j;
            qh |= ((high >>> 4) & 1) << (j + half);
        }
        dst.putInt(dstByte + 4, qh);
    }

    /** C's {@code roundf}: halves round away from zero (Math.round would send -2.5 to -2). */
    private static int roundHalfAwayFromZero(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
