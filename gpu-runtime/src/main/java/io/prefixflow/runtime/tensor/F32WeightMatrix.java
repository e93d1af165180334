package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** A {@link WeightMatrix} of plain little-endian F32 values; any {@code cols}. */
final class F32WeightMatrix extends PanelWeightMatrix {
    private final int rowBytes;
    /** The matrix as floats, index 0 = row 0, column 0. */
    private final FloatBuffer floats;

    F32WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.F32, data, byteOffset, rows, cols);
        this.rowBytes = cols * Float.BYTES;
        this.floats = this.data.slice(byteOffset, rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    /** A bulk copy: the float view's bulk get is a plain memory copy on little-endian hosts. */
    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        floats.get(row * cols, dst, dstOff, rowCount * cols);
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
