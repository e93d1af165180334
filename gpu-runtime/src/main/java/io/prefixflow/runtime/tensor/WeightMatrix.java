package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * A read-only weight matrix of {@code rows x cols} values stored row-major in some {@link GgmlType},
 * read in place from a little-endian buffer (usually a memory-mapped model file).
 *
 * <p>Quantized types are used as they are inside the kernels; no row is ever dequantized into a
 * temporary copy on the matmul path. Each storage type implements the batched product twice: a fast
 * Vector API version and a plain scalar reference that the fast one is tested against.
 *
 * <p>NOTE: for batch invariance the fast kernels compute every output value {@code y[t][r]} with the
 * same operations in the same order, whatever {@code nTokens} and whichever tile the value falls in.
 * A sequence's logits therefore never depend on what else is in its batch.
 *
 * <p>Kernels allocate nothing and log nothing; threading is the caller's business (it splits rows).
 */
public abstract class WeightMatrix {
    protected final ByteBuffer data;
    protected final int byteOffset;
    protected final int rows;
    protected final int cols;

    protected WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        this.data = data;
        this.byteOffset = byteOffset;
        this.rows = rows;
        this.cols = cols;
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    public abstract GgmlType type();

    /**
     * Batched product over a row range, fast version:
     * {@code y[t * yStride + r] = sum_c W[r][c] * x[t * xStride + c]} for {@code t in [0, nTokens)},
     * {@code r in [rowStart, rowEnd)}.
     */
    public abstract void matmul(float[] x, int xStride, int nTokens,
                                float[] y, int yStride, int rowStart, int rowEnd);

    /** The same product as {@link #matmul}, computed one value at a time in plain Java: the reference. */
    public abstract void matmulScalar(float[] x, int xStride, int nTokens,
                                      float[] y, int yStride, int rowStart, int rowEnd);

    /** Writes row {@code row} as floats into {@code dst[dstOff .. dstOff + cols)} (embedding lookup). */
    public abstract void copyRow(int row, float[] dst, int dstOff);
}
