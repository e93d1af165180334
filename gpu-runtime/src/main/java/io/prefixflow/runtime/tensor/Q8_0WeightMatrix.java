package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A {@link WeightMatrix} in GGML's Q8_0 layout; {@code cols} is a multiple of 32.
 *
 * <pre>
 * block (34 bytes, 32 values): [ d: f16 ][ q0 q1 ... q31: int8 ]     value j = q_j * d
 * </pre>
 *
 * <p>Each 32-value block's int8 lanes are widened to floats ({@code B2F}) and scaled by {@code d}
 * while a row is converted into the panel. NOTE: a converted value is {@code (float) q * d} rounded
 * once, the same product the scalar reference forms.
 */
final class Q8_0WeightMatrix extends PanelWeightMatrix {
    private static final int BLOCK_VALUES = 32;
    private static final int BLOCK_BYTES = 34;

    /** Reads a little-endian short out of a byte array in one load. */
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final int rowBytes;

    Q8_0WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.Q8_0, data, byteOffset, rows, cols);
        this.rowBytes = cols / BLOCK_VALUES * BLOCK_BYTES;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        int blocks = rowCount * (cols / BLOCK_VALUES);
        byte[] raw = scratch.bytes(blocks * BLOCK_BYTES);
        data.get(byteOffset + row * rowBytes, raw, 0, blocks * BLOCK_BYTES);
        for (int b = 0, src = 0, d = dstOff; b < blocks; b++, src += BLOCK_BYTES, d += BLOCK_VALUES) {
            float scale = scale(raw, src);
            for (int j = 0; j < BLOCK_VALUES; j += SimdLanes.LANES) {
                quants(raw, src + 2 + j).mul(scale).intoArray(dst, d + j);
            }
        }
    }

    /**
     * Rows in pairs, each block's int8 lanes widened and scaled in registers right before the FMA.
     * Pairs rather than four rows: measured faster on AVX2 (fewer live registers).
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
            FloatVector d0 = FloatVector.broadcast(SimdLanes.FLOATS, scale(raw, s0 + block));
            FloatVector d1 = FloatVector.broadcast(SimdLanes.FLOATS, scale(raw, s1 + block));
            for (int j = 0; j < BLOCK_VALUES; j += SimdLanes.LANES) {
                FloatVector v = FloatVector.fromArray(SimdLanes.FLOATS, x, c0 + j);
                int q = block + 2 + j;
                a0 = quants(raw, s0 + q).mul(d0).fma(v, a0);
                a1 = quants(raw, s1 + q).mul(d1).fma(v, a1);
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

    private static FloatVector quants(byte[] raw, int start) {
        return (FloatVector) ByteVector.fromArray(SimdLanes.BYTES, raw, start)
                .convertShape(VectorOperators.B2F, SimdLanes.FLOATS, 0);
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
                    float value = data.get(blockByte + 2 + c % BLOCK_VALUES) * scale;
                    sum += value * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
