package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q5_1 layout; {@code cols} is a multiple of 32.
 *
 * <pre>
 * block (24 bytes, 32 values): [ d: f16 ][ m: f16 ][ qh: u32 ][ b0 ... b15 ]
 *   q as in Q5_0 (fifth bit j of qh);  value = q * d + m      (ggml's order)
 * </pre>
 */
final class Q5_1WeightMatrix extends BlockWeightMatrix {
    private static final int BLOCK_VALUES = 32;
    private static final int QH = 4;
    private static final int QS = 8;

    Q5_1WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q5_1, data, byteOffset, rows, cols);
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        byte[] raw = rawRows(scratch, row, rowCount);
        int blocks = rowCount * (cols / BLOCK_VALUES);
        for (int b = 0, s = 0, d = dstOff; b < blocks; b++, s += blockBytes, d += BLOCK_VALUES) {
            float scale = QuantLanes.f16(raw, s);
            float min = QuantLanes.f16(raw, s + 2);
            int qh = QuantLanes.int32(raw, s + QH);
            for (int j = 0; j < 16; j += SimdLanes.LANES) {
                IntVector packed = QuantLanes.unsignedBytes(raw, s + QS + j);
                IntVector low = packed.and(15).or(QuantLanes.fifthBits(qh, j));
                IntVector high = packed.lanewise(VectorOperators.LSHR, 4).or(QuantLanes.fifthBits(qh, 16 + j));
                QuantLanes.floats(low).mul(scale).add(min).intoArray(dst, d + j);
                QuantLanes.floats(high).mul(scale).add(min).intoArray(dst, d + 16 + j);
            }
        }
    }

    @Override
    float scalarValue(int blockByte, int e) {
        float scale = Float16.f16ToFloat(data.getShort(blockByte));
        float min = Float16.f16ToFloat(data.getShort(blockByte + 2));
        int fifth = (data.getInt(blockByte + QH) >>> e) & 1;
        int packed = data.get(blockByte + QS + e % 16) & 0xff;
        int q = (e < 16 ? packed & 15 : packed >>> 4) | fifth << 4;
        return q * scale + min;
    }
}
