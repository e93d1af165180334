package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import jdk.incubator.vector.FloatVector;

/**
 * A {@link WeightMatrix} of little-endian IEEE half floats (F16); any {@code cols}.
 *
 * <p>JDK 17 has no vector F16 conversion, so rows are widened with a bit trick: the 15 exponent and
 * mantissa bits moved to the top of a float's bit field read as the value times 2^-112 (exponent bias
 * 15 vs 127), subnormals included, and one exact multiply by 2^112 fixes the scale; the sign bit is
 * OR-ed in before the multiply, which keeps it. NOTE: infinities and NaN (never in weights) come out
 * as large finite values on the vector path.
 */
final class F16WeightMatrix extends PanelWeightMatrix {
    private final int rowBytes;
    /** The matrix as raw 16-bit values, index 0 = row 0, column 0. */
    private final ShortBuffer halves;

    F16WeightMatrix(ByteBuffer data, int byteOffset, int rows, int cols) {
        super(GgmlType.F16, data, byteOffset, rows, cols);
        this.rowBytes = cols * Short.BYTES;
        this.halves = this.data.slice(byteOffset, rows * rowBytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff) {
        int vectorCols = cols - cols % SimdLanes.LANES;
        short[] raw = scratch.shorts(rowCount * cols);
        halves.get(row * cols, raw, 0, rowCount * cols);
        for (int i = 0; i < rowCount; i++) {
            int src = i * cols;
            int d = dstOff + i * cols;
            int c = 0;
            for (; c < vectorCols; c += SimdLanes.LANES) {
                QuantLanes.f16Floats(raw, src + c).intoArray(dst, d + c);
            }
            for (; c < cols; c++) {
                dst[d + c] = Float16.f16ToFloat(raw[src + c]);
            }
        }
    }

    /** Four rows at once, each vector of halves widened in registers right before the FMA. */
    @Override
    boolean matvecFused(PanelScratch scratch, float[] panel, int r, int rowCount, float[] x, float[] y) {
        short[] raw = scratch.shorts(rowCount * cols);
        halves.get(r * cols, raw, 0, rowCount * cols);
        int vectorCols = cols - cols % SimdLanes.LANES;
        int s0 = 0;
        int s1 = rowCount > 1 ? s0 + cols : s0;
        int s2 = rowCount > 2 ? s1 + cols : s1;
        int s3 = rowCount > 3 ? s2 + cols : s2;
        FloatVector a0 = FloatVector.zero(SimdLanes.FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int c = 0; c < vectorCols; c += SimdLanes.LANES) {
            FloatVector v = FloatVector.fromArray(SimdLanes.FLOATS, x, c);
            a0 = QuantLanes.f16Floats(raw, s0 + c).fma(v, a0);
            a1 = QuantLanes.f16Floats(raw, s1 + c).fma(v, a1);
            a2 = QuantLanes.f16Floats(raw, s2 + c).fma(v, a2);
            a3 = QuantLanes.f16Floats(raw, s3 + c).fma(v, a3);
        }
        y[r] = finish(a0, panel, raw, s0, x);
        if (rowCount > 1) {
            y[r + 1] = finish(a1, panel, raw, s1, x);
        }
        if (rowCount > 2) {
            y[r + 2] = finish(a2, panel, raw, s2, x);
        }
        if (rowCount > 3) {
            y[r + 3] = finish(a3, panel, raw, s3, x);
        }
        return true;
    }

    /** As PanelTiles finishes a value: lane sum, then the tail columns in order. */
    private float finish(FloatVector acc, float[] panel, short[] raw, int rowStart, float[] x) {
        float sum = PanelTiles.laneSum(acc, panel, cols);
        for (int c = cols - cols % SimdLanes.LANES; c < cols; c++) {
            sum = Math.fma(Float16.f16ToFloat(raw[rowStart + c]), x[c], sum);
        }
        return sum;
    }

    @Override
    public void matmulScalar(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart, int rowEnd) {
        MatmulChecks.checkArgs(this, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        for (int t = 0; t < nTokens; t++) {
            for (int r = rowStart; r < rowEnd; r++) {
                int rowByte = byteOffset + r * rowBytes;
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    sum += Float16.f16ToFloat(data.getShort(rowByte + c * Short.BYTES)) * x[t * xStride + c];
                }
                y[t * yStride + r] = sum;
            }
        }
    }
}
