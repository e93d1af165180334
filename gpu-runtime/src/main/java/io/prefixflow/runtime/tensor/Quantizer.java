package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * Block quantizers with the arithmetic of llama.cpp's reference ones ({@code quantize_row_q8_0_ref},
 * {@code quantize_row_q4_0_ref}): the scale is computed in float, stored as F16, and the float
 * (unrounded) scale's inverse quantizes the values.
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

    /** C's {@code roundf}: halves round away from zero (Math.round would send -2.5 to -2). */
    private static int roundHalfAwayFromZero(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }
}
