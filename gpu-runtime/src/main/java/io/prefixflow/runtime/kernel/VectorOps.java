package io.prefixflow.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The non-matmul operations of a Llama forward pass with the Vector API; the same methods as
 * {@link ScalarOps}, which is their reference. Arrays with offsets, nothing allocated.
 *
 * <p>NOTE: every result depends only on the input values and the length, never on offsets, on the
 * JIT tier or on what else is computed: sums run in a fixed order ({@link SimdLanes#sum}, then the
 * scalar tail in index order) and exponentials use {@link PortableExp}. Results differ from
 * {@link ScalarOps} by float reassociation and FMA rounding only.
 */
public final class VectorOps {
    private static final VectorSpecies<Float> FLOATS = SimdLanes.FLOATS;
    private static final int LANES = SimdLanes.LANES;

    private VectorOps() {
    }

    /** See {@link ScalarOps#rmsnorm}. {@code out} may be {@code x} (same offset). */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int weightOff,
                               int size, float eps) {
        float ss = dot(x, xOff, x, xOff, size);
        ss /= size;
        ss += eps;
        ss = 1f / (float) Math.sqrt(ss);
        int vectorEnd = size - size % LANES;
        int i = 0;
        for (; i < vectorEnd; i += LANES) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xOff + i).mul(ss);
            FloatVector.fromArray(FLOATS, weight, weightOff + i).mul(v).intoArray(out, outOff + i);
        }
        for (; i < size; i++) {
            out[outOff + i] = weight[weightOff + i] * (ss * x[xOff + i]);
        }
    }

    /** See {@link ScalarOps#dot}. Two accumulator chains (even and odd vectors), then the tail in order. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int pairEnd = n - n % (2 * LANES);
        FloatVector even = FloatVector.zero(FLOATS);
        FloatVector odd = even;
        int i = 0;
        for (; i < pairEnd; i += 2 * LANES) {
            even = FloatVector.fromArray(FLOATS, a, aOff + i).fma(FloatVector.fromArray(FLOATS, b, bOff + i), even);
            odd = FloatVector.fromArray(FLOATS, a, aOff + i + LANES)
                    .fma(FloatVector.fromArray(FLOATS, b, bOff + i + LANES), odd);
        }
        if (n - i >= LANES) {
            even = FloatVector.fromArray(FLOATS, a, aOff + i).fma(FloatVector.fromArray(FLOATS, b, bOff + i), even);
            i += LANES;
        }
        float sum = SimdLanes.sum(even.add(odd));
        for (; i < n; i++) {
            sum = Math.fma(a[aOff + i], b[bOff + i], sum);
        }
        return sum;
    }

    /**
     * Transposes {@link SimdLanes#LANES} rows of {@code rows} (row j at {@code rowOffsets[j]}) into
     * {@code columns}: {@code columns[d * LANES + j] = rows[rowOffsets[j] + d]} for {@code d < n}; one gather per d.
     */
    public static void gatherColumns(float[] rows, int[] rowOffsets, int n, float[] columns) {
        for (int d = 0; d < n; d++) {
            FloatVector.fromArray(FLOATS, rows, d, rowOffsets, 0).intoArray(columns, d * LANES);
        }
    }

    /**
     * {@link SimdLanes#LANES} dot products at once, one per column of {@code columns} (see {@link #gatherColumns}):
     * {@code out[outOff + j] = scale * sum_d a[aOff + d] * columns[d * LANES + j]}, the sum one FMA per d in order
     * from zero (as {@link ScalarOps#dotSequential}), then the scale.
     */
    public static void dotColumns(float[] a, int aOff, float[] columns, int n, float scale, float[] out, int outOff) {
        dotColumns(a, aOff, columns, 0, LANES, n, scale, out, outOff);
    }

    /**
     * {@link #dotColumns} over columns stored {@code columnStride} floats apart from {@code columnsOff}: the
     * {@link SimdLanes#LANES} terms of dimension d are {@code columns[columnsOff + d * columnStride ..]}, contiguous.
     */
    public static void dotColumns(float[] a, int aOff, float[] columns, int columnsOff, int columnStride, int n,
                                  float scale, float[] out, int outOff) {
        FloatVector acc = FloatVector.zero(FLOATS);
        for (int d = 0; d < n; d++) {
            acc = FloatVector.fromArray(FLOATS, columns, columnsOff + d * columnStride)
                    .fma(FloatVector.broadcast(FLOATS, a[aOff + d]), acc);
        }
        acc.mul(scale).intoArray(out, outOff);
    }

    /**
     * {@link #dotColumns} for four groups of columns at once (starting at {@code off0 .. off3}, results at
     * {@code out[outOff]}, {@code out[outOff + LANES]}, ...): the same FMAs per lane in the same order, so the same
     * bits, but four independent chains instead of one, for a single query, whose one chain of {@code n} dependent
     * FMAs per group otherwise waits on the FMA latency.
     */
    public static void dotColumns4(float[] a, int aOff, float[] columns, int off0, int off1, int off2, int off3,
                                   int columnStride, int n, float scale, float[] out, int outOff) {
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int d = 0, at = 0; d < n; d++, at += columnStride) {
            FloatVector ad = FloatVector.broadcast(FLOATS, a[aOff + d]);
            acc0 = FloatVector.fromArray(FLOATS, columns, off0 + at).fma(ad, acc0);
            acc1 = FloatVector.fromArray(FLOATS, columns, off1 + at).fma(ad, acc1);
            acc2 = FloatVector.fromArray(FLOATS, columns, off2 + at).fma(ad, acc2);
            acc3 = FloatVector.fromArray(FLOATS, columns, off3 + at).fma(ad, acc3);
        }
        acc0.mul(scale).intoArray(out, outOff);
        acc1.mul(scale).intoArray(out, outOff + LANES);
        acc2.mul(scale).intoArray(out, outOff + 2 * LANES);
        acc3.mul(scale).intoArray(out, outOff + 3 * LANES);
    }

    /**
     * {@link #dotColumns} of four queries ({@code a[aOff]}, {@code a[aOff + aStride]}, ...) against one group of
     * columns, results at {@code out[outOff]}, {@code out[outOff + outStride]}, ...: each column loaded once for
     * the four, and four independent FMA chains; the same FMAs per lane in the same order, so the same bits.
     */
    public static void dotColumnsQueries4(float[] a, int aOff, int aStride, float[] columns, int columnsOff,
                                          int columnStride, int n, float scale, float[] out, int outOff,
                                          int outStride) {
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int d = 0, at = columnsOff; d < n; d++, at += columnStride) {
            FloatVector column = FloatVector.fromArray(FLOATS, columns, at);
            acc0 = column.fma(FloatVector.broadcast(FLOATS, a[aOff + d]), acc0);
            acc1 = column.fma(FloatVector.broadcast(FLOATS, a[aOff + aStride + d]), acc1);
            acc2 = column.fma(FloatVector.broadcast(FLOATS, a[aOff + 2 * aStride + d]), acc2);
            acc3 = column.fma(FloatVector.broadcast(FLOATS, a[aOff + 3 * aStride + d]), acc3);
        }
        acc0.mul(scale).intoArray(out, outOff);
        acc1.mul(scale).intoArray(out, outOff + outStride);
        acc2.mul(scale).intoArray(out, outOff + 2 * outStride);
        acc3.mul(scale).intoArray(out, outOff + 3 * outStride);
    }

    /**
     * {@link #axpy} for {@code count} rows in turn, {@code y += a[aOff + r] * x[xOffs[r] ..]} for r = 0, 1, ...,
     * with each vector of y kept in a register across the rows: the same FMAs in the same order as the separate
     * calls, so the same bits, without a load and store of y per row.
     */
    public static void axpyRows(float[] y, int yOff, float[] a, int aOff, float[] x, int[] xOffs, int count, int n) {
        int vectorEnd = n - n % LANES;
        int i = 0;
        // four vectors of y at once: four independent FMA chains instead of one waiting on the FMA's latency at
        // every row (each lane still sees its rows in order)
        for (; i + 4 * LANES <= vectorEnd; i += 4 * LANES) {
            int y0 = yOff + i;
            FloatVector acc0 = FloatVector.fromArray(FLOATS, y, y0);
            FloatVector acc1 = FloatVector.fromArray(FLOATS, y, y0 + LANES);
            FloatVector acc2 = FloatVector.fromArray(FLOATS, y, y0 + 2 * LANES);
            FloatVector acc3 = FloatVector.fromArray(FLOATS, y, y0 + 3 * LANES);
            for (int r = 0; r < count; r++) {
                FloatVector scale = FloatVector.broadcast(FLOATS, a[aOff + r]);
                int x0 = xOffs[r] + i;
                acc0 = FloatVector.fromArray(FLOATS, x, x0).fma(scale, acc0);
                acc1 = FloatVector.fromArray(FLOATS, x, x0 + LANES).fma(scale, acc1);
                acc2 = FloatVector.fromArray(FLOATS, x, x0 + 2 * LANES).fma(scale, acc2);
                acc3 = FloatVector.fromArray(FLOATS, x, x0 + 3 * LANES).fma(scale, acc3);
            }
            acc0.intoArray(y, y0);
            acc1.intoArray(y, y0 + LANES);
            acc2.intoArray(y, y0 + 2 * LANES);
            acc3.intoArray(y, y0 + 3 * LANES);
        }
        for (; i < vectorEnd; i += LANES) {
            FloatVector acc = FloatVector.fromArray(FLOATS, y, yOff + i);
            for (int r = 0; r < count; r++) {
                acc = FloatVector.fromArray(FLOATS, x, xOffs[r] + i)
                        .fma(FloatVector.broadcast(FLOATS, a[aOff + r]), acc);
            }
            acc.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float acc = y[yOff + i];
            for (int r = 0; r < count; r++) {
                acc = Math.fma(a[aOff + r], x[xOffs[r] + i], acc);
            }
            y[yOff + i] = acc;
        }
    }

    /** See {@link ScalarOps#axpy}; computed as one FMA per element. */
    public static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
        int vectorEnd = n - n % LANES;
        int i = 0;
        for (; i < vectorEnd; i += LANES) {
            FloatVector.fromArray(FLOATS, x, xOff + i)
                    .fma(FloatVector.broadcast(FLOATS, a), FloatVector.fromArray(FLOATS, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
        }
    }

    /** See {@link ScalarOps#softmax}. */
    public static void softmax(float[] x, int off, int n) {
        int vectorEnd = n - n % LANES;
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (vectorEnd > 0) {
            FloatVector maxes = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
            for (; i < vectorEnd; i += LANES) {
                maxes = maxes.max(FloatVector.fromArray(FLOATS, x, off + i));
            }
            max = maxes.reduceLanes(VectorOperators.MAX); // exact in any order
        }
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        FloatVector sums = FloatVector.zero(FLOATS);
        for (i = 0; i < vectorEnd; i += LANES) {
            FloatVector e = PortableExp.exp(FloatVector.fromArray(FLOATS, x, off + i).sub(max));
            e.intoArray(x, off + i);
            sums = sums.add(e);
        }
        float sum = SimdLanes.sum(sums);
        for (; i < n; i++) {
            x[off + i] = PortableExp.exp(x[off + i] - max);
            sum += x[off + i];
        }
        float inverse = 1f / sum;
        for (i = 0; i < vectorEnd; i += LANES) {
            FloatVector.fromArray(FLOATS, x, off + i).mul(inverse).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= inverse;
        }
    }

    /** See {@link ScalarOps#swiglu}. {@code out} may be {@code gate} or {@code up} (same offset). */
    public static void swiglu(float[] out, int outOff, float[] gate, int gateOff, float[] up, int upOff, int n) {
        int vectorEnd = n - n % LANES;
        int i = 0;
        for (; i < vectorEnd; i += LANES) {
            FloatVector g = FloatVector.fromArray(FLOATS, gate, gateOff + i);
            FloatVector silu = g.div(PortableExp.exp(g.neg()).add(1f));
            silu.mul(FloatVector.fromArray(FLOATS, up, upOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float g = gate[gateOff + i];
            out[outOff + i] = g / (PortableExp.exp(-g) + 1f) * up[upOff + i];
        }
    }

    /** See {@link ScalarOps#add}. */
    public static void add(float[] y, int yOff, float[] x, int xOff, int n) {
        int vectorEnd = n - n % LANES;
        int i = 0;
        for (; i < vectorEnd; i += LANES) {
            FloatVector.fromArray(FLOATS, y, yOff + i).add(FloatVector.fromArray(FLOATS, x, xOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }
}
