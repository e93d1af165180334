package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q5_K layout; {@code cols} is a multiple of 256.
 *
 * <pre>
 * block (176 bytes, 256 values, 8 sub-blocks of 32):
 *   [ d: f16 ][ dmin: f16 ][ scales: 12 bytes ][ qh: 32 bytes ][ qs: 128 bytes ]
 *   element e: as Q4_K, plus bit e/32 of qh[e%32] as the fifth bit (+16)
 *   value = (d * scale_j) * q - (dmin * min_j)        (ggml's dequantize_row_q5_K)
 * </pre>
 */
final class Q5_KWeightMatrix extends SuperBlockWeightMatrix {
    private static final int SCALES = 4;
    private static final int QH = 16;
    private static final int QS = 48;

    Q5_KWeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q5_K, data, byteOffset, rows, cols);
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
                IntVector packed = QuantLanes.unsignedBytes(raw, q + l);
                IntVector high = QuantLanes.unsignedBytes(raw, s + QH + l);
                IntVector low5 = packed.and(15)
                        .or(high.lanewise(VectorOperators.LSHR, j).and(1).lanewise(VectorOperators.LSHL, 4));
                IntVector high5 = packed.lanewise(VectorOperators.LSHR, 4)
                        .or(high.lanewise(VectorOperators.LSHR, j + 1).and(1).lanewise(VectorOperators.LSHL, 4));
                QuantLanes.floats(low5).mul(d1).sub(m1).intoArray(dst, out + l);
                QuantLanes.floats(high5).mul(d2).sub(m2).intoArray(dst, out + 32 + l);
            }
        }
    }

    @Override
    float scalarValue(int blockByte, int e) {
        int j = e / 32;
        float d1 = Float16.f16ToFloat(data.getShort(blockByte)) * KQuantScales.scaleK4(data, blockByte + SCALES, j);
        float m1 = Float16.f16ToFloat(data.getShort(blockByte + 2)) * KQuantScales.minK4(data, blockByte + SCALES, j);
        int packed = data.get(blockByte + QS + 32 * (e / 64) + e % 32) & 0xff;
        int low4 = e % 64 >= 32 ? packed >>> 4 : packed & 15;
        int fifth = ((data.get(blockByte + QH + e % 32) & 0xff) >>> j) & 1;
        return d1 * (low4 + 16 * fifth) - m1;
    }
}
