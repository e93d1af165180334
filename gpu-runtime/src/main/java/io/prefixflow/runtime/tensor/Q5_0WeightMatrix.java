package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q5_0 layout; {@code cols} is a multiple of 32.
 *
 * <pre>
 * block (22 bytes, 32 values): [ d: f16 ][ qh: u32 ][ b0 ... b15 ]
 *   q_j = (b_j &amp; 0x0f) | bit j of qh &lt;&lt; 4,  q_(j+16) = (b_j &gt;&gt;&gt; 4) | bit (j+16) of qh &lt;&lt; 4
 *   value = (q - 16) * d
 * </pre>
 */
final class Q5_0WeightMatrix extends BlockWeightMatrix {
    private static final int BLOCK_VALUES = 32;
    private static final int QH = 2;
    private static final int QS = 6;

    Q5_0WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q5_0, data, byteOffset, rows, cols);
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        byte[] raw = rawRows(scratch, row, rowCount);
        int blocks = rowCount * (cols / BLOCK_VALUES);
        for (int b = 0, s = 0, d = dstOff; b < blocks; b++, s += blockBytes, d += BLOCK_VALUES) {
            float scale = QuantLanes.f16(raw, s);
            int qh = QuantLanes.int32(raw, s + QH);
            for (int j = 0; j < 16; j += SimdLanes.LANES) {
                IntVector packed = QuantLanes.unsignedBytes(raw, s + QS + j);
                IntVector low = packed.and(15).or(QuantLanes.fifthBits(qh, j)).sub(16);
                IntVector high = packed.lanewise(VectorOperators.LSHR, 4).or(QuantLanes.fifthBits(qh, 16 + j)).sub(16);
                QuantLanes.floats(low).mul(scale).intoArray(dst, d + j);
                QuantLanes.floats(high).mul(scale).intoArray(dst, d + 16 + j);
            }
        }
    }

    @Override
    float scalarValue(int blockByte, int e) {
        float scale = Float16.f16ToFloat(data.getShort(blockByte));
        int fifth = (data.getInt(blockByte + QH) >>> e) & 1;
        int packed = data.get(blockByte + QS + e % 16) & 0xff;
        int q = (e < 16 ? packed & 15 : packed >>> 4) | fifth << 4;
        return (q - 16) * scale;
    }
}
