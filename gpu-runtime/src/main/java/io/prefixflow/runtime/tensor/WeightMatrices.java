package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Creates {@link WeightMatrix} views over stored bytes and encodes floats into a storage type. */
public final class WeightMatrices {
    private WeightMatrices() {
    }

    /** A {@code rows x cols} matrix of {@code type} starting at {@code byteOffset} of little-endian {@code data}. */
    public static WeightMatrix of(GgmlType type, ByteBuffer data, int byteOffset, int rows, int cols) {
        // Placeholder until the typed kernels land: F32 only.
        if (type != GgmlType.F32) {
            throw new UnsupportedOperationException("not yet: " + type);
        }
        return new F32Placeholder(data.duplicate().order(ByteOrder.LITTLE_ENDIAN), byteOffset, rows, cols);
    }

    /** Encodes {@code values} (row-major) into {@code type}'s bytes in a new little-endian buffer. */
    public static ByteBuffer encode(GgmlType type, float[] values) {
        if (type != GgmlType.F32) {
            throw new UnsupportedOperationException("not yet: " + type);
        }
        ByteBuffer out = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(values);
        return out;
    }

    private static final class F32Placeholder extends WeightMatrix {
        F32Placeholder(ByteBuffer data, int byteOffset, int rows, int cols) {
            super(data, byteOffset, rows, cols);
        }

        @Override
        public GgmlType type() {
            return GgmlType.F32;
        }

        @Override
        public void matmul(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart, int rowEnd) {
            matmulScalar(x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        }

        @Override
        public void matmulScalar(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart,
                                 int rowEnd) {
            for (int t = 0; t < nTokens; t++) {
                for (int r = rowStart; r < rowEnd; r++) {
                    float sum = 0f;
                    int base = byteOffset + r * cols * 4;
                    for (int c = 0; c < cols; c++) {
                        sum += data.getFloat(base + c * 4) * x[t * xStride + c];
                    }
                    y[t * yStride + r] = sum;
                }
            }
        }

        @Override
        public void copyRow(int row, float[] dst, int dstOff) {
            int base = byteOffset + row * cols * 4;
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c] = data.getFloat(base + c * 4);
            }
        }
    }
}
