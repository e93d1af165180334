package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/** The shape and argument checks shared by the typed {@link WeightMatrix} kernels. */
final class MatmulChecks {
    private MatmulChecks() {
    }

    static void checkShape(GgmlType type, ByteBuffer data, int byteOffset, int rows, int cols) {
        if (rows < 0 || cols <= 0 || byteOffset < 0) {
            throw new IllegalArgumentException("bad " + type + " matrix: rows " + rows + ", cols " + cols
                    + ", byteOffset " + byteOffset);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " needs cols to be a multiple of " + type.blockSize()
                    + ", got " + cols);
        }
        long sizeBytes = (long) rows * type.bytesFor(cols);
        if (byteOffset + sizeBytes > data.limit()) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " at byte " + byteOffset
                    + " needs " + sizeBytes + " bytes but the buffer ends at " + data.limit());
        }
    }

    static void checkArgs(WeightMatrix w, float[] x, int xStride, int nTokens, float[] y, int yStride,
                          int rowStart, int rowEnd) {
        if (rowStart < 0 || rowEnd > w.rows() || rowStart > rowEnd || nTokens < 0) {
            throw new IndexOutOfBoundsException("rows [" + rowStart + ", " + rowEnd + ") of " + w.rows()
                    + ", nTokens " + nTokens);
        }
        if (nTokens == 0 || rowStart == rowEnd) {
            return;
        }
        if ((nTokens > 1 && xStride < w.cols()) || (long) (nTokens - 1) * xStride + w.cols() > x.length) {
            throw new IndexOutOfBoundsException("x of length " + x.length + " cannot hold " + nTokens
                    + " tokens of " + w.cols() + " at stride " + xStride);
        }
        if ((nTokens > 1 && yStride < rowEnd) || (long) (nTokens - 1) * yStride + rowEnd > y.length) {
            throw new IndexOutOfBoundsException("y of length " + y.length + " cannot hold " + nTokens
                    + " tokens up to row " + rowEnd + " at stride " + yStride);
        }
    }

    static void checkRow(WeightMatrix w, int row) {
        if (row < 0 || row >= w.rows()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + w.rows());
        }
    }
}
