package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q3_K layout; {@code cols} is a multiple of 256.
 *
 * <pre>
 * block (110 bytes, 256 values, 16 groups of 16):
 *   [ hmask: 32 bytes ][ qs: 64 bytes ][ scales: 12 bytes, 16 six-bit scales ][ d: f16 ]
 *   element e: low = (qs[32*(e/128) + e%32] &gt;&gt; 2*((e%128)/32)) &amp; 3, high = bit e/32 of hmask[e%32]
 *   q = low - (high ? 0 : 4), in -4..3;  value = (d * (scale[e/16] - 32)) * q        (dequantize_row_q3_K)
 * </pre>
 */
final class Q3_KWeightMatrix extends SuperBlockWeightMatrix {
    private static final int QS = 32;
    private static final int SCALES = 96;
    private static final int D = 108;

    Q3_KWeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q3_K, data, byteOffset, rows, cols);
    }

    @Override
    void unpackBlock(byte[] raw, int s, float[] dst, int d) {
        float dAll = QuantLanes.f16(raw, s + D);
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l += SimdLanes.LANES) {
                    float dl = dAll * KQuantScales.scaleQ3K(raw, s + SCALES, 8 * n + 2 * j + l / 16);
                    IntVector low2 = QuantLanes.unsignedBytes(raw, s + QS + 32 * n + l)
                            .lanewise(VectorOperators.LSHR, 2 * j).and(3);
                    IntVector high = QuantLanes.unsignedBytes(raw, s + l)
                            .lanewise(VectorOperators.LSHR, 4 * n + j).and(1).lanewise(VectorOperators.LSHL, 2);
                    QuantLanes.floats(low2.or(high).sub(4)).mul(dl).intoArray(dst, d + 128 * n + 32 * j + l);
                }
            }
        }
    }

    @Override
    float scalarValue(int blockByte, int e) {
        float dl = Float16.f16ToFloat(data.getShort(blockByte + D)) * KQuantScales.scaleQ3K(data, blockByte + SCALES, e / 16);
        int low2 = ((data.get(blockByte + QS + 32 * (e / 128) + e % 32) & 0xff) >>> (2 * (e % 128 / 32))) & 3;
        boolean high = (((data.get(blockByte + e % 32) & 0xff) >>> (e / 32)) & 1) != 0;
        return dl * (low2 - (high ? 0 : 4));
    }
}
