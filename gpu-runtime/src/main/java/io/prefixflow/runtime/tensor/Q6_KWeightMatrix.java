package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
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
                int ql = s + 64 * n + 32 * (k & 1);
                int qh = s + QH + 32 * n;
                for (int l = 0; l < 32; l += SimdLanes.LANES) {
                    float scale = dAll * raw[s + SCALES + 8 * n + 2 * k + l / 16];
                    IntVector packed = QuantLanes.unsignedBytes(raw, ql + l);
                    IntVector low4 = k >= 2 ? packed.lanewise(VectorOperators.LSHR, 4) : packed.and(15);
                    IntVector high2 = QuantLanes.unsignedBytes(raw, qh + l)
                            .lanewise(VectorOperators.LSHR, 2 * k).and(3).lanewise(VectorOperators.LSHL, 4);
                    QuantLanes.floats(low4.or(high2).sub(32)).mul(scale).intoArray(dst, d + 128 * n + 32 * k + l);
                }
            }
        }
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
