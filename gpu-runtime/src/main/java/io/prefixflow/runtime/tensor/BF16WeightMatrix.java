package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} of little-endian bfloat16 values (BF16, the top half of an F32); any
 * {@code cols}. A value widens to float by a 16-bit left shift of its bits.
 */
final class BF16WeightMatrix extends PanelWeightMatrix {
    private final int rowBytes;
    /** The matrix as raw 16-bit values, index 0 = row 0, column 0. */
    private final ShortBuffer halves;

    BF16WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.BF16, data, byteOffset, rows, cols);
        this.rowBytes = cols * Short.BYTES;
        this.halves = this.data.slice(byteOffset, rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        int vectorCols = cols - cols % SimdLanes.LANES;
        short[] raw = scratch.shorts(rowCount * cols);
        halves.get(row * cols, raw, 0, rowCount * cols);
        for (int i = 0; i < rowCount; i++) {
            int src = i * cols;
            int d = dstOff + i * cols;
            int c = 0;
            for (; c < vectorCols; c += SimdLanes.LANES) {
                IntVector h = (IntVector) ShortVector.fromArray(SimdLanes.SHORTS, raw, src + c)
                        .convertShape(VectorOperators.S2I, SimdLanes.INTS, 0);
                h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, d + c);
            }
            for (; c < cols; c++) {
                dst[d + c] = Float16.bf16ToFloat(raw[src + c]);
            }
        }
    }

    @Override
    public void matmulScalar(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart, int rowEnd) {
        MatmulChecks.checkArgs(this, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                int rowByte = byteOffset + r * rowBytes;
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    sum += Float16.bf16ToFloat(data.getShort(rowByte + c * Short.BYTES)) * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
