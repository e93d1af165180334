package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q4_0 layout; {@code cols} is a multiple of 32.
 *
 * <pre>
 * block (18 bytes, 32 values): [ d: f16 ][ b0 b1 ... b15 ]
 *   value j      = ((b_j &amp; 0x0f) - 8) * d     for j in 0..15
 *   value j + 16 = ((b_j &gt;&gt;&gt; 4)  - 8) * d     for j in 0..15
 * </pre>
 *
 * <p>Bytes are widened to int lanes, split into nibbles, converted to float and scaled with one FMA:
 * {@code nibble * d + (-8 * d)}. NOTE: that is exactly {@code (nibble - 8) * d} rounded once, because
 * {@code -8 * d} is exact and the FMA rounds the exact sum once; the scalar reference forms the same
 * value the plain way.
 */
final class Q4_0WeightMatrix extends PanelWeightMatrix {
    private static final int BLOCK_VALUES = 32;
    private static final int BLOCK_BYTES = 18;
    private static final int HALF = 16;

    /** Reads a little-endian short out of a byte array in one load. */
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final int rowBytes;

    Q4_0WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q4_0, data, byteOffset, rows, cols);
        this.rowBytes = cols / BLOCK_VALUES * BLOCK_BYTES;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        int blocks = rowCount * (cols / BLOCK_VALUES);
        byte[] raw = scratch.bytes(blocks * BLOCK_BYTES);
        data.get(byteOffset + row * rowBytes, raw, 0, blocks * BLOCK_BYTES);
        for (int b = 0, src = 0, d = dstOff; b < blocks; b++, src += BLOCK_BYTES, d += BLOCK_VALUES) {
            float scale = Float16.finiteF16ToFloat((short) SHORT_LE.get(raw, src));
            FloatVector scales = FloatVector.broadcast(SimdLanes.FLOATS, scale);
            FloatVector offsets = FloatVector.broadcast(SimdLanes.FLOATS, -8f * scale);
            for (int j = 0; j < HALF; j += SimdLanes.LANES) {
                IntVector packed = (IntVector) ByteVector.fromArray(SimdLanes.BYTES, raw, src + 2 + j)
                        .convertShape(VectorOperators.B2I, SimdLanes.INTS, 0);
                FloatVector low = (FloatVector) packed.and(0x0f).convertShape(VectorOperators.I2F, SimdLanes.FLOATS, 0);
                FloatVector high = (FloatVector) packed.lanewise(VectorOperators.ASHR, 4).and(0x0f)
                        .convertShape(VectorOperators.I2F, SimdLanes.FLOATS, 0);
                low.fma(scales, offsets).intoArray(dst, d + j);
                high.fma(scales, offsets).intoArray(dst, d + HALF + j);
            }
        }
    }

    @Override
    public void matmulScalar(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart, int rowEnd) {
        MatmulChecks.checkArgs(this, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    int blockByte = byteOffset + r * rowBytes + c / BLOCK_VALUES * BLOCK_BYTES;
                    float scale = Float16.f16ToFloat(data.getShort(blockByte));
                    int j = c % BLOCK_VALUES;
                    int packed = data.get(blockByte + 2 + j % HALF) & 0xff;
                    int nibble = j < HALF ? packed & 0x0f : packed >>> 4;
                    sum += (nibble - 8) * scale * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
