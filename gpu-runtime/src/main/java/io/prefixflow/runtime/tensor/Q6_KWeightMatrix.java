package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q6_K layout; {@code cols} is a multiple of 256.
 *
 * <pre>
 * block (210 bytes, 256 values, 16 groups of 16):
 *   [ ql: 128 bytes ][ qh: 64 bytes ][ scales: 16 x int8 ][ d: f16 ]
 *   element e: n = e/128, k = (e%128)/32, l = e%32
 *     low 4 bits  = nibble of ql[64n + 32(k&amp;1) + l] (high nibble when k &gt;= 2)
 *     high 2 bits = (qh[32n + l] &gt;&gt; 2k) &amp; 3
 *   value = (d * scales[e/16]) * (q - 32)        (ggml's dequantize_row_q6_K)
 * </pre>
 */
final class Q6_KWeightMatrix extends SuperBlockWeightMatrix {
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;

    Q6_KWeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q6_K, data, byteOffset, rows, cols);
    }

    @Override
    void unpackBlock(byte[] raw, int s, float[] dst, int d) {
        float dAll = QuantLanes.f16(raw, s + D);
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 4; k++) {
                for (int l = 0; l < 32; l += SimdLanes.LANES) {
                    values(raw, s, dAll, n, k, l).intoArray(dst, d + 128 * n + 32 * k + l);
                }
            }
        }
    }

    /**
     * One token: rows in pairs, each group converted in registers right before the FMA, in column order, as
     * {@link PanelTiles#tile4x1} reads the panel: the same converted values and sums, so the same bits.
     */
    @Override
    boolean matvecFused(PanelScratch scratch, float[] panel, int r, int rowCount, float[] x, float[] y) {
        byte[] raw = rawRows(scratch, r, rowCount);
        for (int i = 0; i < rowCount; i += 2) {
            int s1 = i + 1 < rowCount ? (i + 1) * rowBytes : -1;
            matvecPair(raw, i * rowBytes, s1, panel, x, y, r + i);
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
            float dAll0 = QuantLanes.f16(raw, b0 + D);
            float dAll1 = QuantLanes.f16(raw, b1 + D);
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 4; k++) {
                    for (int l = 0; l < 32; l += SimdLanes.LANES) {
                        FloatVector v = FloatVector.fromArray(SimdLanes.FLOATS, x, c0 + 128 * n + 32 * k + l);
                        a0 = values(raw, b0, dAll0, n, k, l).fma(v, a0);
                        a1 = values(raw, b1, dAll1, n, k, l).fma(v, a1);
                    }
                }
            }
        }
        y[r] = PanelTiles.laneSum(a0, panel, cols);
        if (two) {
            y[r + 1] = PanelTiles.laneSum(a1, panel, cols);
        }
    }

    /** Elements {@code 128n + 32k + l ..} ({@link SimdLanes#LANES} of them) of the block at {@code raw[s]}. */
    private static FloatVector values(byte[] raw, int s, float dAll, int n, int k, int l) {
        float scale = dAll * raw[s + SCALES + 8 * n + 2 * k + l / 16];
        IntVector packed = QuantLanes.unsignedBytes(raw, s + 64 * n + 32 * (k & 1) + l);
        IntVector low4 = k >= 2 ? packed.lanewise(VectorOperators.LSHR, 4) : packed.and(15);
        IntVector high2 = QuantLanes.unsignedBytes(raw, s + QH + 32 * n + l)
                .lanewise(VectorOperators.LSHR, 2 * k).and(3).lanewise(VectorOperators.LSHL, 4);
        return QuantLanes.floats(low4.or(high2).sub(32)).mul(scale);
    }

    @Override
    float scalarValue(int blockByte, int e) {
        int n = e / 128;
        int k = e % 128 / 32;
        int l = e % 32;
        int packed = data.get(blockByte + 64 * n + 32 * (k & 1) + l) & 0xff;
        int low4 = k >= 2 ? packed >>> 4 : packed & 15;
        int high2 = ((data.get(blockByte + QH + 32 * n + l) & 0xff) >>> (2 * k)) & 3;
        float scale = Float16.f16ToFloat(data.getShort(blockByte + D)) * data.get(blockByte + SCALES + e / 16);
        return scale * ((low4 | high2 << 4) - 32);
    }
}
