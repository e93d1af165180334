package io.prefixflow.runtime.cuda;

import io.prefixflow.runtime.tensor.WeightMatrix;

/**
 * A weight matrix on the GPU, row-major {@code [rows][cols]}, in one {@link WeightPrecision}.
 *
 * @param buffer    the device memory; owned by the {@link DeviceModel} that made it
 * @param rows      output features
 * @param cols      input features
 * @param precision element type
 */
record DeviceMatrix(DeviceBuffer buffer, int rows, int cols, WeightPrecision precision) {
    /** Rows converted per host-to-device copy: bounds the host staging arrays to about 32 MiB. */
    private static final long STAGING_ELEMENTS = 8L << 20;

    /** Copies {@code matrix} to the GPU, converting each row (of whatever stored type) to {@code precision}. */
    static DeviceMatrix upload(WeightMatrix matrix, WeightPrecision precision) {
        int rows = matrix.rows();
        int cols = matrix.cols();
        DeviceBuffer buffer = new DeviceBuffer((long) rows * cols * precision.bytesPerElement());
        try {
            int rowsPerChunk = (int) Math.max(1, Math.min(rows, STAGING_ELEMENTS / cols));
            float[] staged = new float[rowsPerChunk * cols];
            short[] bf16 = precision == WeightPrecision.BF16 ? new short[staged.length] : null;
            for (int start = 0; start < rows; start += rowsPerChunk) {
                int count = Math.min(rowsPerChunk, rows - start);
                for (int r = 0; r < count; r++) {
                    matrix.copyRow(start + r, staged, r * cols);
                }
                int elements = count * cols;
                long byteOffset = (long) start * cols * precision.bytesPerElement();
                if (bf16 != null) {
                    Bf16.encode(staged, 0, bf16, 0, elements);
                    buffer.upload(bf16, elements, byteOffset);
                } else {
                    buffer.upload(staged, elements, byteOffset);
                }
            }
        } catch (RuntimeException e) {
            buffer.close();
            throw e;
        }
        return new DeviceMatrix(buffer, rows, cols, precision);
    }

    /** Bytes the matrix takes on the GPU. */
    long sizeBytes() {
        return (long) rows * cols * precision.bytesPerElement();
    }
}
