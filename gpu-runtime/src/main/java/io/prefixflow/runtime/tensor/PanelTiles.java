package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register tiles of the batched product over a panel of weight rows already converted to floats.
 *
 * <pre>
 *   panel (rows r, r+1; row stride = cols)      x (token t .. t+4; stride xStride)
 *   [ w0: c0 c1 ... c(cols-1) ]                 [ x0: c0 c1 ... ]   ...   [ x4: ... ]
 *   [ w1: ...                 ]
 *   accumulators: a[row][token], one vector each; the vector axis runs along cols
 * </pre>
 *
 * <p>NOTE (batch invariance): whichever tile computes it, {@code y[t][r]} is one accumulator fed by one
 * FMA per whole vector of columns in column order, then its lanes added in the fixed tree of
 * {@link SimdLanes#sumStored}, then one scalar FMA per remaining column in column order
 * ({@link #finish}). Tile shapes change only how many values share the loads, never the arithmetic of
 * one value.
 *
 * <p>The tile's shape comes from the register file: 2x5 is the widest tile whose 10 accumulators, 2 weight
 * vectors and 1 input vector fit the 16 AVX2 registers without spilling (measured: 2x5 70, 2x4 58, 4x3 43,
 * 2x6 42 GFLOP/s on one core); with AVX-512's 32 registers (512-bit species) the 4x5 tile's 20 accumulators,
 * 4 weight vectors and 1 input vector fit, and each input vector loaded feeds four rows instead of two.
 */
final class PanelTiles {
    /** Tokens per full tile. */
    static final int TILE_TOKENS = 5;
    /** Rows per full tile: 4 with 32 vector registers (512-bit species), else 2. */
    static final int TILE_ROWS = SimdLanes.LANES >= 16 ? 4 : 2;

    /** Rows a panel holds at most (the decode tile's height). */
    static final int MAX_ROWS = 4;
    /** Accumulators the 4x5 tile stores behind the panel rows for their lane sums. */
    private static final int STORED_ACCUMULATORS = 20;

    private static final VectorSpecies<Float> FLOATS = SimdLanes.FLOATS;
    private static final int LANES = SimdLanes.LANES;
    /** Floats a tile's accumulators take in {@link #tileSpan}'s array: 20 vectors, whichever the tile. */
    static final int TILE_ACCUMULATOR_FLOATS = STORED_ACCUMULATORS * LANES;

    private PanelTiles() {
    }

    /**
     * Floats a panel array needs for {@code cols}: {@link #MAX_ROWS} rows, then one vector of scratch
     * where accumulators are stored for their lane sum.
     */
    static int panelLength(int cols) {
        return MAX_ROWS * cols + STORED_ACCUMULATORS * LANES;
    }

    /**
     * {@link #tile4x5Span} for the 2x5 tile (panel rows {@code 0 .. rowCount-1}, {@code rowCount <= 2}); its
     * accumulators take the 4x5 tile's slots of rows 0 and 1.
     */
    static void tile2x5Span(float[] panel, int rowCount, int cols, int c0, int c1, float[] x, int xStride, int t,
                            int tokenCount, float[] accs, int accOff) {
        int p0 = 0;
        int p1 = rowCount > 1 ? cols : 0;
        int x0 = t * xStride;
        int x1 = tokenCount > 1 ? x0 + xStride : x0;
        int x2 = tokenCount > 2 ? x1 + xStride : x1;
        int x3 = tokenCount > 3 ? x2 + xStride : x2;
        int x4 = tokenCount > 4 ? x3 + xStride : x3;
        FloatVector a00;
        FloatVector a01;
        FloatVector a02;
        FloatVector a03;
        FloatVector a04;
        FloatVector a10;
        FloatVector a11;
        FloatVector a12;
        FloatVector a13;
        FloatVector a14;
        if (c0 == 0) {
            a00 = FloatVector.zero(FLOATS);
            a01 = a00;
            a02 = a00;
            a03 = a00;
            a04 = a00;
            a10 = a00;
            a11 = a00;
            a12 = a00;
            a13 = a00;
            a14 = a00;
        } else {
            a00 = FloatVector.fromArray(FLOATS, accs, accOff);
            a10 = FloatVector.fromArray(FLOATS, accs, accOff + LANES);
            a01 = FloatVector.fromArray(FLOATS, accs, accOff + 4 * LANES);
            a11 = FloatVector.fromArray(FLOATS, accs, accOff + 5 * LANES);
            a02 = FloatVector.fromArray(FLOATS, accs, accOff + 8 * LANES);
            a12 = FloatVector.fromArray(FLOATS, accs, accOff + 9 * LANES);
            a03 = FloatVector.fromArray(FLOATS, accs, accOff + 12 * LANES);
            a13 = FloatVector.fromArray(FLOATS, accs, accOff + 13 * LANES);
            a04 = FloatVector.fromArray(FLOATS, accs, accOff + 16 * LANES);
            a14 = FloatVector.fromArray(FLOATS, accs, accOff + 17 * LANES);
        }
        for (int c = c0; c < c1; c += LANES) {
            FloatVector w0 = FloatVector.fromArray(FLOATS, panel, p0 + c);
            FloatVector w1 = FloatVector.fromArray(FLOATS, panel, p1 + c);
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + c);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            v = FloatVector.fromArray(FLOATS, x, x1 + c);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            v = FloatVector.fromArray(FLOATS, x, x2 + c);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            v = FloatVector.fromArray(FLOATS, x, x3 + c);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
            v = FloatVector.fromArray(FLOATS, x, x4 + c);
            a04 = w0.fma(v, a04);
            a14 = w1.fma(v, a14);
        }
        a00.intoArray(accs, accOff);
        a10.intoArray(accs, accOff + LANES);
        a01.intoArray(accs, accOff + 4 * LANES);
        a11.intoArray(accs, accOff + 5 * LANES);
        a02.intoArray(accs, accOff + 8 * LANES);
        a12.intoArray(accs, accOff + 9 * LANES);
        a03.intoArray(accs, accOff + 12 * LANES);
        a13.intoArray(accs, accOff + 13 * LANES);
        a04.intoArray(accs, accOff + 16 * LANES);
        a14.intoArray(accs, accOff + 17 * LANES);
    }

    /**
     * Columns {@code [c0, c1)} of the hardware's tile ({@link #TILE_ROWS} x {@link #TILE_TOKENS}) on accumulators
     * kept in {@code accs} from {@code accOff} ({@link #TILE_ACCUMULATOR_FLOATS} of them); see
     * {@link #tile4x5Span}.
     */
    static void tileSpan(float[] panel, int rowCount, int cols, int c0, int c1, float[] x, int xStride, int t,
                         int tokenCount, float[] accs, int accOff) {
        if (TILE_ROWS == 4) {
            tile4x5Span(panel, rowCount, cols, c0, c1, x, xStride, t, tokenCount, accs, accOff);
        } else {
            tile2x5Span(panel, rowCount, cols, c0, c1, x, xStride, t, tokenCount, accs, accOff);
        }
    }

    /**
     * Panel rows {@code 0 .. rowCount-1} ({@code rowCount <= 4}) times tokens {@code t .. t+tokenCount-1}
     * ({@code tokenCount <= 5}), all columns: the tile for 32 vector registers (the batched product runs it span
     * by span, {@link #tileSpan}; a decode batch of 3 or 4 tokens runs it whole).
     */
    static void tile4x5(float[] panel, int rowCount, int cols, float[] x, int xStride, int t, int tokenCount,
                        float[] y, int yStride, int r) {
        int stored = MAX_ROWS * cols;
        tile4x5Span(panel, rowCount, cols, 0, cols - cols % LANES, x, xStride, t, tokenCount, panel, stored);
        finishStored(panel, panel, stored, rowCount, cols, x, xStride, t, tokenCount, y, yStride, r);
    }

    /**
     * The columns {@code [c0, c1)} (multiples of the lanes) of a 4x5 tile, on accumulators kept in {@code accs}
     * from {@code accOff} (token-major, 4 rows each): read back unless {@code c0 == 0}, where they start at zero,
     * and written back after. A tile run over consecutive spans computes the bits of one run over all columns:
     * an accumulator stored and loaded is the same value. Spans let a panel stretch stay in L1 across the tiles
     * of a token block instead of each tile streaming whole rows from L2. A partial tile computes its missing rows
     * and tokens as copies of the last real one, and {@link #finishStored} stores only the real ones: a few wasted
     * FMAs at the edge instead of a slow single-chain edge path.
     */
    static void tile4x5Span(float[] panel, int rowCount, int cols, int c0, int c1, float[] x, int xStride, int t,
                            int tokenCount, float[] accs, int accOff) {
        int p0 = 0;
        int p1 = rowCount > 1 ? p0 + cols : p0;
        int p2 = rowCount > 2 ? p1 + cols : p1;
        int p3 = rowCount > 3 ? p2 + cols : p2;
        int x0 = t * xStride;
        int x1 = tokenCount > 1 ? x0 + xStride : x0;
        int x2 = tokenCount > 2 ? x1 + xStride : x1;
        int x3 = tokenCount > 3 ? x2 + xStride : x2;
        int x4 = tokenCount > 4 ? x3 + xStride : x3;
        FloatVector a00;
        FloatVector a01;
        FloatVector a02;
        FloatVector a03;
        FloatVector a04;
        FloatVector a10;
        FloatVector a11;
        FloatVector a12;
        FloatVector a13;
        FloatVector a14;
        FloatVector a20;
        FloatVector a21;
        FloatVector a22;
        FloatVector a23;
        FloatVector a24;
        FloatVector a30;
        FloatVector a31;
        FloatVector a32;
        FloatVector a33;
        FloatVector a34;
        if (c0 == 0) {
            a00 = FloatVector.zero(FLOATS);
            a01 = a00;
            a02 = a00;
            a03 = a00;
            a04 = a00;
            a10 = a00;
            a11 = a00;
            a12 = a00;
            a13 = a00;
            a14 = a00;
            a20 = a00;
            a21 = a00;
            a22 = a00;
            a23 = a00;
            a24 = a00;
            a30 = a00;
            a31 = a00;
            a32 = a00;
            a33 = a00;
            a34 = a00;
        } else {
            a00 = FloatVector.fromArray(FLOATS, accs, accOff);
            a10 = FloatVector.fromArray(FLOATS, accs, accOff + LANES);
            a20 = FloatVector.fromArray(FLOATS, accs, accOff + 2 * LANES);
            a30 = FloatVector.fromArray(FLOATS, accs, accOff + 3 * LANES);
            a01 = FloatVector.fromArray(FLOATS, accs, accOff + 4 * LANES);
            a11 = FloatVector.fromArray(FLOATS, accs, accOff + 5 * LANES);
            a21 = FloatVector.fromArray(FLOATS, accs, accOff + 6 * LANES);
            a31 = FloatVector.fromArray(FLOATS, accs, accOff + 7 * LANES);
            a02 = FloatVector.fromArray(FLOATS, accs, accOff + 8 * LANES);
            a12 = FloatVector.fromArray(FLOATS, accs, accOff + 9 * LANES);
            a22 = FloatVector.fromArray(FLOATS, accs, accOff + 10 * LANES);
            a32 = FloatVector.fromArray(FLOATS, accs, accOff + 11 * LANES);
            a03 = FloatVector.fromArray(FLOATS, accs, accOff + 12 * LANES);
            a13 = FloatVector.fromArray(FLOATS, accs, accOff + 13 * LANES);
            a23 = FloatVector.fromArray(FLOATS, accs, accOff + 14 * LANES);
            a33 = FloatVector.fromArray(FLOATS, accs, accOff + 15 * LANES);
            a04 = FloatVector.fromArray(FLOATS, accs, accOff + 16 * LANES);
            a14 = FloatVector.fromArray(FLOATS, accs, accOff + 17 * LANES);
            a24 = FloatVector.fromArray(FLOATS, accs, accOff + 18 * LANES);
            a34 = FloatVector.fromArray(FLOATS, accs, accOff + 19 * LANES);
        }
        for (int c = c0; c < c1; c += LANES) {
            FloatVector w0 = FloatVector.fromArray(FLOATS, panel, p0 + c);
            FloatVector w1 = FloatVector.fromArray(FLOATS, panel, p1 + c);
            FloatVector w2 = FloatVector.fromArray(FLOATS, panel, p2 + c);
            FloatVector w3 = FloatVector.fromArray(FLOATS, panel, p3 + c);
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + c);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            a20 = w2.fma(v, a20);
            a30 = w3.fma(v, a30);
            v = FloatVector.fromArray(FLOATS, x, x1 + c);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            a21 = w2.fma(v, a21);
            a31 = w3.fma(v, a31);
            v = FloatVector.fromArray(FLOATS, x, x2 + c);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            a22 = w2.fma(v, a22);
            a32 = w3.fma(v, a32);
            v = FloatVector.fromArray(FLOATS, x, x3 + c);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
            a23 = w2.fma(v, a23);
            a33 = w3.fma(v, a33);
            v = FloatVector.fromArray(FLOATS, x, x4 + c);
            a04 = w0.fma(v, a04);
            a14 = w1.fma(v, a14);
            a24 = w2.fma(v, a24);
            a34 = w3.fma(v, a34);
        }
        // NOTE: stored here and summed by a separate method, because passing 20 vectors on (to finish) made
        // C2 stop inlining at its node limit and box every accumulator in the loop (10x slower, measured)
        a00.intoArray(accs, accOff);
        a10.intoArray(accs, accOff + LANES);
        a20.intoArray(accs, accOff + 2 * LANES);
        a30.intoArray(accs, accOff + 3 * LANES);
        a01.intoArray(accs, accOff + 4 * LANES);
        a11.intoArray(accs, accOff + 5 * LANES);
        a21.intoArray(accs, accOff + 6 * LANES);
        a31.intoArray(accs, accOff + 7 * LANES);
        a02.intoArray(accs, accOff + 8 * LANES);
        a12.intoArray(accs, accOff + 9 * LANES);
        a22.intoArray(accs, accOff + 10 * LANES);
        a32.intoArray(accs, accOff + 11 * LANES);
        a03.intoArray(accs, accOff + 12 * LANES);
        a13.intoArray(accs, accOff + 13 * LANES);
        a23.intoArray(accs, accOff + 14 * LANES);
        a33.intoArray(accs, accOff + 15 * LANES);
        a04.intoArray(accs, accOff + 16 * LANES);
        a14.intoArray(accs, accOff + 17 * LANES);
        a24.intoArray(accs, accOff + 18 * LANES);
        a34.intoArray(accs, accOff + 19 * LANES);
    }

    /**
     * The values of a 4x5 tile whose accumulators lie in {@code accs} from {@code stored} (token-major, 4 rows
     * each): each one's lane sum in {@link SimdLanes#sumStored}'s order, then its columns past the last whole
     * vector.
     */
    static void finishStored(float[] panel, float[] accs, int stored, int rowCount, int cols, float[] x,
                             int xStride, int t, int tokenCount, float[] y, int yStride, int r) {
        for (int k = 0; k < tokenCount; k++) {
            int x0 = (t + k) * xStride;
            for (int i = 0; i < rowCount; i++) {
                float sum = SimdLanes.sumStored(accs, stored + (4 * k + i) * LANES);
                for (int c = cols - cols % LANES; c < cols; c++) {
                    sum = Math.fma(panel[i * cols + c], x[x0 + c], sum);
                }
                y[(t + k) * yStride + r + i] = sum;
            }
        }
    }

    /**
     * Panel rows {@code 0 .. rowCount-1} ({@code rowCount <= 4}) times token {@code t}: the decode tile,
     * four independent accumulator chains. Missing rows are computed as copies of the last real one.
     */
    static void tile4x1(float[] panel, int rowCount, int cols, float[] x, int xStride, int t,
                        float[] y, int yStride, int r) {
        int vectorCols = cols - cols % LANES;
        int p0 = 0;
        int p1 = rowCount > 1 ? p0 + cols : p0;
        int p2 = rowCount > 2 ? p1 + cols : p1;
        int p3 = rowCount > 3 ? p2 + cols : p2;
        int x0 = t * xStride;
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int c = 0; c < vectorCols; c += LANES) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + c);
            a0 = FloatVector.fromArray(FLOATS, panel, p0 + c).fma(v, a0);
            a1 = FloatVector.fromArray(FLOATS, panel, p1 + c).fma(v, a1);
            a2 = FloatVector.fromArray(FLOATS, panel, p2 + c).fma(v, a2);
            a3 = FloatVector.fromArray(FLOATS, panel, p3 + c).fma(v, a3);
        }
        int y0 = t * yStride + r;
        y[y0] = finish(a0, panel, p0, cols, x, x0);
        if (rowCount > 1) {
            y[y0 + 1] = finish(a1, panel, p1, cols, x, x0);
        }
        if (rowCount > 2) {
            y[y0 + 2] = finish(a2, panel, p2, cols, x, x0);
        }
        if (rowCount > 3) {
            y[y0 + 3] = finish(a3, panel, p3, cols, x, x0);
        }
    }

    /**
     * The lane sum of an accumulator, in {@link SimdLanes#sumStored}'s fixed order, using the scratch
     * vector at the end of {@code panel}. A fused kernel that never fills the panel rows still needs
     * the panel for this.
     */
    static float laneSum(FloatVector acc, float[] panel, int cols) {
        // NOTE: through memory, because extracting lanes from registers (lane(i)) made the 2x5 tile 45%
        // slower, and reduceLanes(ADD) does not promise an order
        int scratch = MAX_ROWS * cols;
        acc.intoArray(panel, scratch);
        return SimdLanes.sumStored(panel, scratch);
    }

    /** The lane sum of one value's accumulator, then its columns past the last whole vector, in order. */
    private static float finish(FloatVector acc, float[] panel, int p0, int cols, float[] x, int x0) {
        float sum = laneSum(acc, panel, cols);
        for (int c = cols - cols % LANES; c < cols; c++) {
            sum = Math.fma(panel[p0 + c], x[x0 + c], sum);
        }
        return sum;
    }
}
