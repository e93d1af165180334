package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Encoding of K/V rows as F16 or Q8_0 and decoding back to floats: Vector API decoders for the attention's hot
 * loop, each with the plain scalar reference it is tested against (same bits). Nothing here allocates.
 * Used by the CPU runner's KV store ({@code --kv-dtype f16|q8_0}).
 */
public final class KvRowCodec {
    private static final int LANES = SimdLanes.LANES;
    /** Values per Q8_0 group (one F16 scale each). */
    public static final int GROUP = 32;

    private KvRowCodec() {
    }

    /** {@code dst[dstOff + i] = F16(src[srcOff + i])} for {@code n} values, saturating at ±65,504. */
    public static void encodeF16(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = Math.max(-Float16.F16_MAX, Math.min(Float16.F16_MAX, src[srcOff + i]));
            dst[dstOff + i] = Float16.floatToF16(v);
        }
    }

    /** Scalar reference of {@link #decodeF16}. */
    public static void decodeF16Scalar(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float16.f16ToFloat(src[srcOff + i]);
        }
    }

    /** The floats of {@code n} F16 values (finite, as {@link #encodeF16} writes them), exactly. */
    public static void decodeF16(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        int vectorEnd = n - n % LANES;
        int i = 0;
        for (; i < vectorEnd; i += LANES) {
            QuantLanes.f16Floats(src, srcOff + i).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = Float16.finiteF16ToFloat(src[srcOff + i]);
        }
    }

    /**
     * Quantizes {@code n} values (a multiple of 32) to Q8_0 as llama.cpp's {@code quantize_row_q8_0_ref}: per 32,
     * {@code d = amax / 127} stored as F16 in {@code scales[scaleOff + g]}, values {@code round(x / d)} (halves away
     * from zero) in {@code q[qOff ..]}.
     */
    public static void encodeQ8_0(float[] src, int srcOff, byte[] q, int qOff, short[] scales, int scaleOff, int n) {
        for (int g = 0; g < n / GROUP; g++) {
            int base = srcOff + g * GROUP;
            float amax = 0f;
            for (int j = 0; j < GROUP; j++) {
                amax = Math.max(amax, Math.abs(src[base + j]));
            }
            // NOTE: a scale past F16's range (values beyond 8.3 million) saturates, and the values clip at ±127
            float d = Math.min(amax / 127f, Float16.F16_MAX);
            float id = d != 0f ? 1f / d : 0f;
            scales[scaleOff + g] = Float16.floatToF16(d);
            for (int j = 0; j < GROUP; j++) {
                float v = src[base + j] * id;
                int rounded = v < 0 ? -Math.round(-v) : Math.round(v);
                q[qOff + g * GROUP + j] = (byte) Math.max(-127, Math.min(127, rounded));
            }
        }
    }

    /** Scalar reference of {@link #decodeQ8_0}. */
    public static void decodeQ8_0Scalar(byte[] q, int qOff, short[] scales, int scaleOff, float[] dst, int dstOff,
                                        int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = q[qOff + i] * Float16.f16ToFloat(scales[scaleOff + i / GROUP]);
        }
    }

    /** {@code q * d} for {@code n} values (a multiple of 32) of Q8_0 groups, exactly as the scalar reference. */
    public static void decodeQ8_0(byte[] q, int qOff, short[] scales, int scaleOff, float[] dst, int dstOff, int n) {
        for (int g = 0; g < n / GROUP; g++) {
            float d = Float16.finiteF16ToFloat(scales[scaleOff + g]);
            for (int i = g * GROUP; i < (g + 1) * GROUP; i += LANES) {
                ((FloatVector) ByteVector.fromArray(SimdLanes.BYTES, q, qOff + i)
                        .convertShape(VectorOperators.B2F, SimdLanes.FLOATS, 0))
                        .mul(d).intoArray(dst, dstOff + i);
            }
        }
    }

    /**
     * {@link SimdLanes#LANES} Q8_0 values of different rows at once (a column of a KV block): lane j is
     * {@code q[qOff + j]} times lane j of {@code scales} (F16 scales decoded by {@link #f16Lanes}), the product
     * rounded once as in {@link #decodeQ8_0}.
     */
    public static void decodeQ8_0Lanes(byte[] q, int qOff, FloatVector scales, float[] dst, int dstOff) {
        ((FloatVector) ByteVector.fromArray(SimdLanes.BYTES, q, qOff)
                .convertShape(VectorOperators.B2F, SimdLanes.FLOATS, 0))
                .mul(scales).intoArray(dst, dstOff);
    }

    /** The {@link SimdLanes#LANES} F16 values at {@code halves[off ..]} as floats, exactly. */
    public static FloatVector f16Lanes(short[] halves, int off) {
        return QuantLanes.f16Floats(halves, off);
    }
}
