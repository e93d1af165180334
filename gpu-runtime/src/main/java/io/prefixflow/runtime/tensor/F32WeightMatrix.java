package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/** A {@link WeightMatrix} of plain little-endian F32 values; any {@code cols}. */
final class F32WeightMatrix extends PanelWeightMatrix {
    private final int rowBytes;

    F32WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.F32, data, byteOffset, rows, cols);
        this.rowBytes = cols * Float.BYTES;
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    void unpackRows(int row, int rowCount, float[] dst, int dstOff) {
        int vectorCols = cols - cols % SimdLanes.LANES;
        for (int i = 0; i < rowCount; i++) {
            int rowByte = byteOffset + (row + i) * rowBytes;
            int d = dstOff + i * cols;
            int c = 0;
            for (; c < vectorCols; c += SimdLanes.LANES) {
                FloatVector.fromByteBuffer(SimdLanes.FLOATS, data, rowByte + c * Float.BYTES, ByteOrder.LITTLE_ENDIAN)
                        .intoArray(dst, d + c);
            }
            for (; c < cols; c++) {
                dst[d + c] = data.getFloat(rowByte + c * Float.BYTES);
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
                    sum += data.getFloat(rowByte + c * Float.BYTES) * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
