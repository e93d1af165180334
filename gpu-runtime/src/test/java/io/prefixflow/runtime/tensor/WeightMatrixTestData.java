package io.prefixflow.runtime.tensor;

import java.util.Random;

/** Random matrices and inputs for the weight kernel tests. */
final class WeightMatrixTestData {
    private WeightMatrixTestData() {
    }

    /** Values ~ N(0, scale), with a few exact zeros and some larger outliers, like trained weights. */
    static float[] gaussian(Random random, int count, float scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            double v = random.nextGaussian() * scale;
            int kind = random.nextInt(50);
            values[i] = kind == 0 ? 0f : (float) (kind == 1 ? v * 8 : v);
        }
        return values;
    }

    /**
     * A random {@code cols} allowed for {@code type}: any for float types, a multiple of the block size
     * for quantized ones (for the 256-value K-quants 256 or 512, whatever {@code maxCols}).
     */
    static int randomCols(Random random, GgmlType type, int maxCols) {
        int block = type.blockSize();
        if (block > 1) {
            return block * (1 + random.nextInt(Math.max(2, maxCols / block)));
        }
        return 1 + random.nextInt(maxCols);
    }

    static WeightMatrix matrix(GgmlType type, float[] values, int rows, int cols, int paddingBytes) {
        java.nio.ByteBuffer encoded = WeightMatrices.encode(type, values);
        // place the matrix at a non-zero, odd offset to catch offset bugs and unaligned reads
        java.nio.ByteBuffer padded = java.nio.ByteBuffer.allocateDirect(encoded.capacity() + paddingBytes + 3);
        for (int i = 0; i < encoded.capacity(); i++) {
            padded.put(paddingBytes + i, encoded.get(i));
        }
        return WeightMatrices.of(type, padded, paddingBytes, rows, cols);
    }
}
