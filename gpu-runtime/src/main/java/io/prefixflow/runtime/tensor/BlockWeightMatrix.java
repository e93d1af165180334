package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * Base of the block-quantized matrices added for GGUF's K-quants and 32-value types: the row geometry,
 * the scalar reference product and a scalar row decoder, both built on {@link #scalarValue}, the
 * plain-Java decoding of one element written after ggml's {@code dequantize_row_*}.
 *
 * <p>A subclass decodes whole blocks with the Vector API in {@link #unpackRows}; NOTE: it must form each
 * value with exactly the float operations of {@link #scalarValue}, in the same order (ggml's order, no
 * fused multiply-add), so that the panel holds the very values ggml's dequantization gives.
 */
abstract class BlockWeightMatrix extends PanelWeightMatrix {
    /** Values per block (32 or 256). */
    protected final int blockValues;
    /** Bytes per block. */
    protected final int blockBytes;
    /** Bytes per matrix row. */
    protected final int rowBytes;
    private final GgmlType type;

    BlockWeightMatrix(GgmlType type, ByteBuffer data, int byteOffset, int rows, int cols) {
        super(type, data, byteOffset, rows, cols);
        this.blockValues = type.blockSize();
        this.blockBytes = type.blockBytes();
        this.rowBytes = cols / blockValues * blockBytes;
        this.type = type;
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    /**
     * The scalar reference: element {@code e} ({@code 0 <= e < blockValues}) of the block that starts at
     * absolute byte {@code blockByte} of {@link #data}.
     */
    abstract float scalarValue(int blockByte, int e);

    /** Row {@code row} decoded one element at a time by {@link #scalarValue} into {@code dst[dstOff ..]}. */
    final void copyRowScalar(int row, float[] dst, int dstOff) {
        MatmulChecks.checkRow(this, row);
        for (int c = 0; c < cols; c++) {
            dst[dstOff + c] = scalarValue(byteOffset + row * rowBytes + c / blockValues * blockBytes, c % blockValues);
        }
    }

    /** Copies rows {@code [row, row + rowCount)} out of the buffer into {@code scratch}'s byte array. */
    final byte[] rawRows(PanelScratch scratch, int row, int rowCount) {
        byte[] raw = scratch.bytes(rowCount * rowBytes);
        data.get(byteOffset + row * rowBytes, raw, 0, rowCount * rowBytes);
        return raw;
    }

    @Override
    public final void matmulScalar(float[] x, int xStride, int nTokens, float[] y, int yStride,
                                   int rowStart, int rowEnd) {
        MatmulChecks.checkArgs(this, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    int blockByte = byteOffset + r * rowBytes + c / blockValues * blockBytes;
                    sum += scalarValue(blockByte, c % blockValues) * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
