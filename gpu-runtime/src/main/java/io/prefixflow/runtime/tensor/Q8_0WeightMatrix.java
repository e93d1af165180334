package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q8_0 layout; {@code cols} is a multiple of 32.
 *
 * <pre>
 * block (34 bytes, 32 values): [ d: f16 ][ q0 q1 ... q31: int8 ]     value j = q_j * d
 * </pre>
 *
 * <p>Each 32-value block's int8 lanes are widened to floats ({@code B2F}) and scaled by {@code d}
 * while a row is converted into the panel. NOTE: a converted value is {@code (float) q * d} rounded
 * once, the same product the scalar reference forms.
 */
final class Q8_0WeightMatrix extends PanelWeightMatrix {
    private static final int BLOCK_VALUES = 32;
    private static final int BLOCK_BYTES = 34;

    private final int rowBytes;

    Q8_0WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q8_0, data, byteOffset, rows, cols);
        this.rowBytes = cols / BLOCK_VALUES * BLOCK_BYTES;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        int blocks = rowCount * (cols / BLOCK_VALUES);
        byte[] raw = scratch.bytes(blocks * BLOCK_BYTES);
        data.get(byteOffset + row * rowBytes, raw, 0, blocks * BLOCK_BYTES);
        for (int b = 0, src = 0, d = dstOff; b < blocks; b++, src += BLOCK_BYTES, d += BLOCK_VALUES) {
            float scale = Float16.f16ToFloat((short) ((raw[src] & 0xff) | (raw[src + 1] << 8)));
            for (int j = 0; j < BLOCK_VALUES; j += SimdLanes.LANES) {
                FloatVector q = (FloatVector) ByteVector.fromArray(SimdLanes.BYTES, raw, src + 2 + j)
                        .convertShape(VectorOperators.B2F, SimdLanes.FLOATS, 0);
                q.mul(scale).intoArray(dst, d + j);
            }
        }
    }

    @Override
    public void matmulScalar(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart, int rowEnd) {
        MatmulChecks.checkArgs(this, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    int blockByte = byteOffset + r * rowBytes + c / BLOCK_VALUES * BLOCK_BYTES;
                    float scale = Float16.f16ToFloat(data.getShort(blockByte));
                    float value = data.get(blockByte + 2 + c % BLOCK_VALUES) * scale;
                    sum += value * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
