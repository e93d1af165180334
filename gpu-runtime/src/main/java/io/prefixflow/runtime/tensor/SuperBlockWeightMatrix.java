package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;

/**
 * Base of the K-quant matrices (256-value super-blocks): rows are decoded block after block by
 * {@link #unpackBlock}, so a subclass writes only the decoding of one block.
 */
abstract class SuperBlockWeightMatrix extends BlockWeightMatrix {
    SuperBlockWeightMatrix(GgmlType type, ByteBuffer data, int byteOffset, int rows, int cols) {
        super(type, data, byteOffset, rows, cols);
    }

    @Override
    final void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        byte[] raw = rawRows(scratch, row, rowCount);
        int blocks = rowCount * (cols / blockValues);
        for (int b = 0, src = 0, d = dstOff; b < blocks; b++, src += blockBytes, d += blockValues) {
            unpackBlock(raw, src, dst, d);
        }
    }

    /**
     * Decodes the block at {@code raw[src ..]} into {@code dst[d .. d + 256)} with the Vector API, with the float
     * operations of {@link #scalarValue} in their order.
     */
    abstract void unpackBlock(byte[] raw, int src, float[] dst, int d);
}
