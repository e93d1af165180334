package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q2_K layout; {@code cols} is a multiple of 256.
 *
 * <pre>
 * block (84 bytes, 256 values, 16 groups of 16):
 *   [ scales: 16 bytes, low nibble scale, high nibble min ][ qs: 64 bytes ][ d: f16 ][ dmin: f16 ]
 *   element e: q = (qs[32*(e/128) + e%32] &gt;&gt; 2*((e%128)/32)) &amp; 3, sc = scales[e/16]
 *   value = (d * (sc &amp; 15)) * q - (dmin * (sc &gt;&gt; 4))        (ggml's dequantize_row_q2_K)
 * </pre>
 */
final class Q2_KWeightMatrix extends SuperBlockWeightMatrix {
    private static final int QS = 16;
    private static final int D = 80;

    Q2_KWeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q2_K, data, byteOffset, rows, cols);
    }

    @Override
    void unpackBlock(byte[] raw, int s, float[] dst, int d) {
        float dAll = QuantLanes.f16(raw, s + D);
        float dMin = QuantLanes.f16(raw, s + D + 2);
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 32; l += SimdLanes.LANES) {
                    int sc = raw[s + 8 * n + 2 * j + l / 16] & 0xff;
                    float dl = dAll * (sc & 15);
                    float ml = dMin * (sc >>> 4);
                    QuantLanes.floats(QuantLanes.unsignedBytes(raw, s + QS + 32 * n + l)
                                    .lanewise(VectorOperators.LSHR, 2 * j).and(3))
                            .mul(dl).sub(ml).intoArray(dst, d + 128 * n + 32 * j + l);
                }
            }
        }
    }

    @Override
    float scalarValue(int blockByte, int e) {
        int sc = data.get(blockByte + e / 16) & 0xff;
        float dl = Float16.f16ToFloat(data.getShort(blockByte + D)) * (sc & 15);
        float ml = Float16.f16ToFloat(data.getShort(blockByte + D + 2)) * (sc >>> 4);
        int q = ((data.get(blockByte + QS + 32 * (e / 128) + e % 32) & 0xff) >>> (2 * (e % 128 / 32))) & 3;
        return dl * q - ml;
    }
}
