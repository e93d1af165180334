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
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

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
            float scale = scale(raw, src);
            FloatVector scales = FloatVector.broadcast(SimdLanes.FLOATS, scale);
            FloatVector offsets = FloatVector.broadcast(SimdLanes.FLOATS, -8f * scale);
            for (int j = 0; j < HALF; j += SimdLanes.LANES) {
                low(raw, src + 2 + j).fma(scales, offsets).intoArray(dst, d + j);
                high(raw, src + 2 + j).fma(scales, offsets).intoArray(dst, d + HALF + j);
            }
        }
    }

    /**
     * Rows in pairs, nibbles dequantized in registers right before the FMA, in column order (all low
     * nibbles of a block, then all high ones) as the panel path reads them. Pairs rather than four rows:
     * four rows' scales and offsets spill registers on AVX2 (measured 2x slower).
     */
    @Override
    boolean matvecFused(PanelScratch scratch, float[] panel, int r, int rowCount, float[] x, float[] y) {
        byte[] raw = scratch.bytes(rowCount * rowBytes);
        data.get(byteOffset + r * rowBytes, raw, 0, rowCount * rowBytes);
        for (int i = 0; i < rowCount; i += 2) {
            matvecPair(raw, i * rowBytes, i + 1 < rowCount ? (i + 1) * rowBytes : -1, panel, x, y, r + i);
        }
        return true;
    }

    /** Rows starting at {@code raw[s0]} and {@code raw[s1]} (or none when {@code s1 < 0}) into {@code y[r], y[r+1]}. */
    private void matvecPair(byte[] raw, int s0, int s1, float[] panel, float[] x, float[] y, int r) {
        boolean two = s1 >= 0;
        if (!two) {
            s1 = s0;
        }
        FloatVector a0 = FloatVector.zero(SimdLanes.FLOATS);
        FloatVector a1 = a0;
        for (int c0 = 0, block = 0; c0 < cols; c0 += BLOCK_VALUES, block += BLOCK_BYTES) {
            float d0 = scale(raw, s0 + block);
            float d1 = scale(raw, s1 + block);
            FloatVector m0 = FloatVector.broadcast(SimdLanes.FLOATS, d0);
            FloatVector m1 = FloatVector.broadcast(SimdLanes.FLOATS, d1);
            FloatVector o0 = FloatVector.broadcast(SimdLanes.FLOATS, -8f * d0);
            FloatVector o1 = FloatVector.broadcast(SimdLanes.FLOATS, -8f * d1);
            int q = block + 2;
            for (int j = 0; j < HALF; j += SimdLanes.LANES) {
                FloatVector v = FloatVector.fromArray(SimdLanes.FLOATS, x, c0 + j);
                a0 = low(raw, s0 + q + j).fma(m0, o0).fma(v, a0);
                a1 = low(raw, s1 + q + j).fma(m1, o1).fma(v, a1);
            }
            for (int j = 0; j < HALF; j += SimdLanes.LANES) {
                FloatVector v = FloatVector.fromArray(SimdLanes.FLOATS, x, c0 + HALF + j);
                a0 = high(raw, s0 + q + j).fma(m0, o0).fma(v, a0);
                a1 = high(raw, s1 + q + j).fma(m1, o1).fma(v, a1);
            }
        }
        y[r] = PanelTiles.laneSum(a0, panel, cols);
        if (two) {
            y[r + 1] = PanelTiles.laneSum(a1, panel, cols);
        }
    }

    private static float scale(byte[] raw, int blockStart) {
        return Float16.finiteF16ToFloat((short) SHORT_LE.get(raw, blockStart));
    }

    /** Low nibbles of {@code raw[start .. start + LANES)} as floats 0..15. */
    private static FloatVector low(byte[] raw, int start) {
        IntVector packed = (IntVector) ByteVector.fromArray(SimdLanes.BYTES, raw, start)
                .convertShape(VectorOperators.B2I, SimdLanes.INTS, 0);
        return (FloatVector) packed.and(0x0f).convertShape(VectorOperators.I2F, SimdLanes.FLOATS, 0);
    }

    /** High nibbles of {@code raw[start .. start + LANES)} as floats 0..15. */
    private static FloatVector high(byte[] raw, int start) {
        IntVector packed = (IntVector) ByteVector.fromArray(SimdLanes.BYTES, raw, start)
                .convertShape(VectorOperators.B2I, SimdLanes.INTS, 0);
        return (FloatVector) packed.lanewise(VectorOperators.ASHR, 4).and(0x0f)
                .convertShape(VectorOperators.I2F, SimdLanes.FLOATS, 0);
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
