package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q4_1 layout; {@code cols} is a multiple of 32.
 *
 * <pre>
 * block (20 bytes, 32 values): [ d: f16 ][ m: f16 ][ b0 ... b15 ]
 *   value j = (b_j &amp; 0x0f) * d + m,  value j + 16 = (b_j &gt;&gt;&gt; 4) * d + m      (j in 0..15; ggml's order)
 * </pre>
 */
final class Q4_1WeightMatrix extends BlockWeightMatrix {
    private static final int BLOCK_VALUES = 32;
    private static final int QS = 4;

    Q4_1WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q4_1, data, byteOffset, rows, cols);
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        byte[] raw = rawRows(scratch, row, rowCount);
        int blocks = rowCount * (cols / BLOCK_VALUES);
        for (int b = 0, s = 0, d = dstOff; b < blocks; b++, s += blockBytes, d += BLOCK_VALUES) {
            float scale = QuantLanes.f16(raw, s);
            float min = QuantLanes.f16(raw, s + 2);
            for (int j = 0; j < 16; j += SimdLanes.LANES) {
                IntVector packed = QuantLanes.unsignedBytes(raw, s + QS + j);
                QuantLanes.floats(packed.and(15)).mul(scale).add(min).intoArray(dst, d + j);
                QuantLanes.floats(packed.lanewise(VectorOperators.LSHR, 4)).mul(scale).add(min)
                        .intoArray(dst, d + 16 + j);
            }
        }
    }

    @Override
    float scalarValue(int blockByte, int e) {
        float scale = Float16.f16ToFloat(data.getShort(blockByte));
        float min = Float16.f16ToFloat(data.getShort(blockByte + 2));
        int packed = data.get(blockByte + QS + e % 16) & 0xff;
        int q = e < 16 ? packed & 15 : packed >>> 4;
        return q * scale + min;
    }
}
