package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q4_K layout; {@code cols} is a multiple of 256.
 *
 * <pre>
 * block (144 bytes, 256 values, 8 sub-blocks of 32):
 *   [ d: f16 ][ dmin: f16 ][ scales: 12 bytes, 8 six-bit scales + 8 six-bit mins ][ qs: 128 bytes ]
 *   element e: sub-block j = e/32, q = nibble of qs[32*(e/64) + e%32] (high when e%64 &gt;= 32)
 *   value = (d * scale_j) * q - (dmin * min_j)        (ggml's dequantize_row_q4_K, rounded in that order)
 * </pre>
 */
final class Q4_KWeightMatrix extends SuperBlockWeightMatrix {
    private static final int SCALES = 4;
    private static final int QS = 16;

    Q4_KWeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q4_K, data, byteOffset, rows, cols);
    }

    @Override
    void unpackBlock(byte[] raw, int s, float[] dst, int d) {
        float dAll = QuantLanes.f16(raw, s);
        float dMin = QuantLanes.f16(raw, s + 2);
        long scales = KQuantScales.scalesK4(raw, s + SCALES);
        long mins = KQuantScales.minsK4(raw, s + SCALES);
        for (int pair = 0; pair < 4; pair++) {
            int j = 2 * pair;
            float d1 = dAll * KQuantScales.packed(scales, j);
            float m1 = dMin * KQuantScales.packed(mins, j);
            float d2 = dAll * KQuantScales.packed(scales, j + 1);
            float m2 = dMin * KQuantScales.packed(mins, j + 1);
            int q = s + QS + 32 * pair;
            int out = d + 64 * pair;
            for (int l = 0; l < 32; l += SimdLanes.LANES) {
                // one load for both sub-blocks of the pair
                IntVector packed = QuantLanes.unsignedBytes(raw, q + l);
                scaled(packed.and(15), d1, m1).intoArray(dst, out + l);
                scaled(packed.lanewise(VectorOperators.LSHR, 4), d2, m2).intoArray(dst, out + 32 + l);
            }
        }
    }

    /**
     * One token: rows in pairs, each sub-block converted in registers right before the FMA, in column order, as
     * {@link PanelTiles#tile4x1} reads the panel: the same converted values, one accumulator per row in the same
     * order, so the same bits.
     */
    @Override
    boolean matvecFused(PanelScratch scratch, float[] panel, int r, int rowCount, float[] x, float[] y) {
        byte[] raw = rawRows(scratch, r, rowCount);
        for (int i = 0; i < rowCount; i += 2) {
            matvecPair(raw, i * rowBytes, i + 1 < rowCount ? (i + 1) * rowBytes : -1, panel, x, y, r + i);
        }
        return true;
    }

    /** Rows starting at {@code raw[s0]} and {@code raw[s1]} (or none when {@code s1 < 0}) into {@code y[r], y[r+1]}. */
    private void matvecPair(byte[] raw, int s0, int s1, float[] panel, float[] x, float[] y, int r) {
        boolean two = s1 >= 0;
        if (!two) {
            s1 = s0;
        }
        FloatVector a0 = FloatVector.zero(SimdLanes.FLOATS);
        FloatVector a1 = a0;
        for (int c0 = 0, b0 = s0, b1 = s1; c0 < cols; c0 += blockValues, b0 += blockBytes, b1 += blockBytes) {
            float dAll0 = QuantLanes.f16(raw, b0);
            float dMin0 = QuantLanes.f16(raw, b0 + 2);
            float dAll1 = QuantLanes.f16(raw, b1);
            float dMin1 = QuantLanes.f16(raw, b1 + 2);
            for (int j = 0; j < 8; j++) {
                // NOTE: one sub-block at a time here, not scalesK4/minsK4: with the four packed longs live
                // through the loop this kernel took 8% longer (2048x2048, one core)
                float scale0 = dAll0 * KQuantScales.scaleK4(raw, b0 + SCALES, j);
                float min0 = dMin0 * KQuantScales.minK4(raw, b0 + SCALES, j);
                float scale1 = dAll1 * KQuantScales.scaleK4(raw, b1 + SCALES, j);
                float min1 = dMin1 * KQuantScales.minK4(raw, b1 + SCALES, j);
                for (int l = 0; l < 32; l += SimdLanes.LANES) {
                    FloatVector v = FloatVector.fromArray(SimdLanes.FLOATS, x, c0 + 32 * j + l);
                    a0 = values(raw, b0, j, l, scale0, min0).fma(v, a0);
                    a1 = values(raw, b1, j, l, scale1, min1).fma(v, a1);
                }
            }
        }
        y[r] = PanelTiles.laneSum(a0, panel, cols);
        if (two) {
            y[r + 1] = PanelTiles.laneSum(a1, panel, cols);
        }
    }

    /**
     * Elements {@code 32j + l ..} ({@link SimdLanes#LANES} of them) of the block at {@code raw[s]}: sub-block j's
     * nibbles (the low ones of bytes {@code 32 * (j / 2) ..} for even j, the high ones for odd j) times
     * {@code scale} minus {@code min}, in {@link #scalarValue}'s order.
     */
    private static FloatVector values(byte[] raw, int s, int j, int l, float scale, float min) {
        IntVector packed = QuantLanes.unsignedBytes(raw, s + QS + 32 * (j / 2) + l);
        return scaled((j & 1) == 0 ? packed.and(15) : packed.lanewise(VectorOperators.LSHR, 4), scale, min);
    }

    /** Nibbles times {@code scale} minus {@code min}, rounded in that order (ggml's {@code d * q - m}). */
    private static FloatVector scaled(IntVector nibbles, float scale, float min) {
        return QuantLanes.floats(nibbles).mul(scale).sub(min);
    }

    @Override
    float scalarValue(int blockByte, int e) {
        int j = e / 32;
        float d1 = Float16.f16ToFloat(data.getShort(blockByte)) * KQuantScales.scaleK4(data, blockByte + SCALES, j);
        float m1 = Float16.f16ToFloat(data.getShort(blockByte + 2)) * KQuantScales.minK4(data, blockByte + SCALES, j);
        int packed = data.get(blockByte + QS + 32 * (e / 64) + e % 32) & 0xff;
        int q = e % 64 >= 32 ? packed >>> 4 : packed & 15;
        return d1 * q - m1;
    }
}
