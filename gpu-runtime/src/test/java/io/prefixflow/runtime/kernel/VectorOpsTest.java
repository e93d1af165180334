package io.prefixflow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorOps} against {@link ScalarOps} on random lengths (vector tails included) and offsets.
 * Tolerances, stated per op: sums differ by reassociation and FMA, so they are checked against
 * {@code 2 * n * 2^-24 * sum |terms|} (the float summation error bound for both sides); elementwise
 * ops differ by at most a few roundings (and exp by 2 ulp), so they get a few ulp of relative error.
 */
class VectorOpsTest {
    private static final double U = 0x1p-24;

    @Property(tries = 200)
    void dotMatchesScalar(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
        Random random = new Random(seed);
        int aOff = random.nextInt(5);
        int bOff = random.nextInt(5);
        float[] a = gaussian(random, n + aOff);
        float[] b = gaussian(random, n + bOff);
        double absSum = 0;
        for (int i = 0; i < n; i++) {
            absSum += Math.abs((double) a[aOff + i] * b[bOff + i]);
        }
        assertClose(ScalarOps.dot(a, aOff, b, bOff, n), VectorOps.dot(a, aOff, b, bOff, n),
                2 * (n + 1) * U * absSum, "dot n=" + n);
    }

    /** The transposed-keys scores are the sequential scalar dot to the bit: both are one FMA per term, in order. */
    @Property(tries = 100)
    void dotColumnsIsTheSequentialDotExactly(@ForAll @IntRange(min = 1, max = 160) int n, @ForAll long seed) {
        Random random = new Random(seed);
        int lanes = SimdLanes.LANES;
        int stride = n + random.nextInt(20);
        float[] rows = gaussian(random, (lanes + 3) * stride);
        int[] rowOffsets = new int[lanes];
        for (int j = 0; j < lanes; j++) {
            rowOffsets[j] = random.nextInt(lanes + 3) * stride;
        }
        int aOff = random.nextInt(5);
        float[] a = gaussian(random, n + aOff);
        float scale = (float) random.nextDouble();
        float[] columns = new float[n * lanes];
        VectorOps.gatherColumns(rows, rowOffsets, n, columns);
        float[] out = new float[lanes + 2];
        VectorOps.dotColumns(a, aOff, columns, n, scale, out, 1);
        // the same columns stored further apart (a KV block of 2 * lanes slots), read in place
        int columnStride = 2 * lanes;
        int columnsOff = random.nextInt(lanes);
        float[] spread = new float[columnsOff + n * columnStride];
        for (int d = 0; d < n; d++) {
            System.arraycopy(columns, d * lanes, spread, columnsOff + d * columnStride, lanes);
        }
        float[] inPlace = new float[lanes];
        VectorOps.dotColumns(a, aOff, spread, columnsOff, columnStride, n, scale, inPlace, 0);
        for (int j = 0; j < lanes; j++) {
            assertEquals(ScalarOps.dotSequential(a, aOff, rows, rowOffsets[j], n, scale), out[1 + j],
                    "row " + j + " of " + lanes + ", n " + n);
            assertEquals(out[1 + j], inPlace[j], "in place, row " + j);
        }
    }

    /** Four groups scored in one pass give the bits of one {@link VectorOps#dotColumns} per group. */
    @Property(tries = 100)
    void fourGroupsAtOnceAreFourSingleGroupsExactly(@ForAll @IntRange(min = 1, max = 160) int n,
                                                     @ForAll long seed) {
        Random random = new Random(seed);
        int lanes = SimdLanes.LANES;
        int stride = lanes * (1 + random.nextInt(4));
        float[] columns = gaussian(random, 5 * n * stride);
        int[] offs = new int[4];
        for (int i = 0; i < 4; i++) {
            offs[i] = random.nextInt(5) * n * stride + random.nextInt(stride - lanes + 1);
        }
        float[] a = gaussian(random, n + 3);
        float scale = (float) random.nextDouble();
        float[] together = new float[4 * lanes + 1];
        VectorOps.dotColumns4(a, 3, columns, offs[0], offs[1], offs[2], offs[3], stride, n, scale, together, 1);
        for (int i = 0; i < 4; i++) {
            float[] alone = new float[lanes];
            VectorOps.dotColumns(a, 3, columns, offs[i], stride, n, scale, alone, 0);
            for (int j = 0; j < lanes; j++) {
                assertEquals(alone[j], together[1 + i * lanes + j], "group " + i + " lane " + j);
            }
        }
    }

    /** Four queries against one group in one pass give the bits of one {@link VectorOps#dotColumns} per query. */
    @Property(tries = 100)
    void fourQueriesAtOnceAreFourSingleQueriesExactly(@ForAll @IntRange(min = 1, max = 160) int n,
                                                       @ForAll long seed) {
        Random random = new Random(seed);
        int lanes = SimdLanes.LANES;
        int stride = lanes * (1 + random.nextInt(3));
        float[] columns = gaussian(random, n * stride + 5);
        int columnsOff = random.nextInt(5);
        int aStride = n + random.nextInt(7);
        float[] a = gaussian(random, 4 * aStride + 2);
        float scale = (float) random.nextDouble();
        int outStride = lanes + random.nextInt(9);
        float[] together = new float[4 * outStride + 2];
        VectorOps.dotColumnsQueries4(a, 2, aStride, columns, columnsOff, stride, n, scale, together, 2, outStride);
        for (int i = 0; i < 4; i++) {
            float[] alone = new float[lanes];
            VectorOps.dotColumns(a, 2 + i * aStride, columns, columnsOff, stride, n, scale, alone, 0);
            for (int j = 0; j < lanes; j++) {
                assertEquals(alone[j], together[2 + i * outStride + j], "query " + i + " lane " + j);
            }
        }
    }

    /** Rows added in one call give the bits of one {@link VectorOps#axpy} per row in turn. */
    @Property(tries = 100)
    void axpyRowsIsAxpyPerRowExactly(@ForAll @IntRange(min = 0, max = 100) int n,
                                     @ForAll @IntRange(min = 0, max = 20) int count, @ForAll long seed) {
        Random random = new Random(seed);
        int stride = n + random.nextInt(5);
        float[] x = gaussian(random, 21 * stride + 1);
        int[] xOffs = new int[Math.max(1, count)];
        for (int r = 0; r < count; r++) {
            xOffs[r] = random.nextInt(21) * stride;
        }
        float[] a = gaussian(random, count + 2);
        float[] y = gaussian(random, n + 3);
        float[] expected = y.clone();
        for (int r = 0; r < count; r++) {
            VectorOps.axpy(expected, 3, a[2 + r], x, xOffs[r], n);
        }
        VectorOps.axpyRows(y, 3, a, 2, x, xOffs, count, n);
        for (int i = 0; i < y.length; i++) {
            assertEquals(expected[i], y[i], "element " + i + ", n " + n + ", " + count + " rows");
        }
    }

    @Property(tries = 100)
    void rmsnormMatchesScalar(@ForAll @IntRange(min = 1, max = 300) int size, @ForAll long seed) {
        Random random = new Random(seed);
        float[] x = gaussian(random, size + 3);
        float[] weight = gaussian(random, size + 2);
        float[] expected = new float[size + 1];
        float[] actual = new float[size + 1];
        ScalarOps.rmsnorm(expected, 1, x, 3, weight, 2, size, 1e-5f);
        VectorOps.rmsnorm(actual, 1, x, 3, weight, 2, size, 1e-5f);
        // the sum of squares is within 2 * size * 2^-24 relative on both sides; 1/sqrt halves that, then
        // three more roundings: relative size * 2^-23 + 8 ulp per element
        for (int i = 0; i < size + 1; i++) {
            assertClose(expected[i], actual[i], Math.abs(expected[i]) * ((size + 8) * 2 * U), "rmsnorm[" + i + "]");
        }
    }

    @Property(tries = 100)
    void axpyAndAddMatchScalar(@ForAll @IntRange(min = 0, max = 100) int n, @ForAll long seed) {
        Random random = new Random(seed);
        float a = (float) random.nextGaussian();
        float[] x = gaussian(random, n + 1);
        float[] expected = gaussian(random, n + 2);
        float[] actual = expected.clone();
        ScalarOps.axpy(expected, 2, a, x, 1, n);
        VectorOps.axpy(actual, 2, a, x, 1, n);
        for (int i = 0; i < n + 2; i++) {
            // scalar rounds a*x then the sum, vector fuses them: one rounding of |a*x| apart at most
            assertClose(expected[i], actual[i], 2 * U * (Math.abs(expected[i]) + Math.abs(a * x[Math.max(0, i - 1)])),
                    "axpy[" + i + "]");
        }
        float[] addExpected = gaussian(random, n);
        float[] addActual = addExpected.clone();
        ScalarOps.add(addExpected, 0, x, 1, n);
        VectorOps.add(addActual, 0, x, 1, n);
        assertEquals(0, Arrays.compare(addExpected, addActual), "add is exact elementwise on both sides");
    }

    @Property(tries = 200)
    void softmaxMatchesScalar(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        Random random = new Random(seed);
        float scale = 1 + random.nextInt(30);
        float[] expected = new float[n + 4];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) random.nextGaussian() * scale;
        }
        float[] actual = expected.clone();
        ScalarOps.softmax(expected, 2, n);
        VectorOps.softmax(actual, 2, n);
        // each e^x is within 2 ulp (Math.exp within 1), the sums differ by 2 * n * 2^-24 relative (all
        // terms positive), then one division: relative (2n + 8) * 2^-24, plus denormal-sized absolutes
        // where PortableExp clamps below e^-87
        for (int i = 0; i < n + 4; i++) {
            assertClose(expected[i], actual[i], Math.abs(expected[i]) * (2 * n + 8) * U + 1e-37, "softmax[" + i + "]");
        }
    }

    @Property(tries = 100)
    void swigluMatchesScalar(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
        Random random = new Random(seed);
        float[] gate = gaussian(random, n + 1);
        for (int i = 0; i < gate.length; i += 7) {
            gate[i] *= 40; // reach the flat parts of silu
        }
        float[] up = gaussian(random, n);
        float[] expected = new float[n];
        float[] actual = new float[n];
        ScalarOps.swiglu(expected, 0, gate, 1, up, 0, n);
        VectorOps.swiglu(actual, 0, gate, 1, up, 0, n);
        // exp within 2 ulp, then add, divide, multiply: 6 ulp relative, plus tiny absolutes where exp clamps
        for (int i = 0; i < n; i++) {
            assertClose(expected[i], actual[i], Math.abs(expected[i]) * 6 * 2 * U + 1e-35, "swiglu[" + i + "]");
        }
    }

    /** In-place use (out aliasing x, gate or up) gives the same results as separate arrays. */
    @Test
    void inPlaceUseIsAllowed() {
        Random random = new Random(3);
        float[] x = gaussian(random, 37);
        float[] weight = gaussian(random, 37);
        float[] separate = new float[37];
        VectorOps.rmsnorm(separate, 0, x, 0, weight, 0, 37, 1e-6f);
        VectorOps.rmsnorm(x, 0, x, 0, weight, 0, 37, 1e-6f);
        assertEquals(0, Arrays.compare(separate, x));
        float[] gate = gaussian(random, 37);
        float[] up = gaussian(random, 37);
        float[] out = new float[37];
        VectorOps.swiglu(out, 0, gate, 0, up, 0, 37);
        VectorOps.swiglu(gate, 0, gate, 0, up, 0, 37);
        assertEquals(0, Arrays.compare(out, gate));
    }

    private static void assertClose(float expected, float actual, double tolerance, String what) {
        if (!(Math.abs((double) expected - actual) <= tolerance)) {
            fail(what + ": expected " + expected + " actual " + actual + " tolerance " + tolerance);
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
