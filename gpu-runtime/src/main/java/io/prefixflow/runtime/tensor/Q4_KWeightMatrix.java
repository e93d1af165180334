package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
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
        for (int pair = 0; pair < 4; pair++) {
            int j = 2 * pair;
            float d1 = dAll * KQuantScales.scaleK4(raw, s + SCALES, j);
            float m1 = dMin * KQuantScales.minK4(raw, s + SCALES, j);
            float d2 = dAll * KQuantScales.scaleK4(raw, s + SCALES, j + 1);
            float m2 = dMin * KQuantScales.minK4(raw, s + SCALES, j + 1);
            int q = s + QS + 32 * pair;
            int out = d + 64 * pair;
            for (int l = 0; l < 32; l += SimdLanes.LANES) {
                IntVector packed = QuantLanes.unsignedBytes(raw, q + l);
                QuantLanes.floats(packed.and(15)).mul(d1).sub(m1).intoArray(dst, out + l);
                QuantLanes.floats(packed.lanewise(VectorOperators.LSHR, 4)).mul(d2).sub(m2)
                        .intoArray(dst, out + 32 + l);
            }
        }
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
