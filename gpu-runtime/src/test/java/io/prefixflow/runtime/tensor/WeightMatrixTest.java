package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fast kernels against the scalar reference, and the encoders against the float values they encode. */
class WeightMatrixTest {

    /**
     * {@code matmul} vs {@code matmulScalar} on random shapes (tails included), row ranges and token
     * counts. Tolerance per value: {@code 4 * cols * 2^-24 * sum_c |w_c * x_c|}. Both sides add the same
     * exactly decoded weights times the same inputs, only in another order and with fused multiply-adds,
     * and a float sum of n terms is within {@code (n-1) * 2^-24 * sum |terms|} of the exact sum (plus one
     * rounding per product): the bound covers both sides with a factor-of-two margin. One wrong weight,
     * scale or input moves a value by about one term, i.e. around {@code sum|terms| / cols}, far more.
     */
    @Property(tries = 60)
    void fastMatchesScalar(@ForAll("types") GgmlType type, @ForAll @IntRange(min = 1, max = 19) int rows,
                           @ForAll @IntRange(min = 1, max = 13) int nTokens, @ForAll long seed) {
        checkFastMatchesScalar(type, rows, nTokens, seed);
    }

    /**
     * Every type on fixed seeds, so that each one is checked in every run whatever the random draws
     * above pick: fast against scalar at decode (1 token), small-batch (3) and tiled (11) token counts,
     * and the encode round trip.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GgmlType.class)
    void everyTypeOnFixedSeeds(GgmlType type) {
        for (int seed = 1; seed <= 3; seed++) {
            checkFastMatchesScalar(type, 5, 1, seed);
            checkFastMatchesScalar(type, 7, 3, seed);
            checkFastMatchesScalar(type, 6, 11, seed);
            checkRoundTrip(type, 3, seed);
        }
    }

    private static void checkFastMatchesScalar(GgmlType type, int rows, int nTokens, long seed) {
        Random random = new Random(seed);
        int cols = WeightMatrixTestData.randomCols(random, type, 300);
        WeightMatrix w = WeightMatrixTestData.matrix(type, WeightMatrixTestData.gaussian(random, rows * cols, 0.5f),
                rows, cols, random.nextInt(40));
        int xStride = cols + random.nextInt(3);
        int yStride = rows + random.nextInt(3);
        float[] x = WeightMatrixTestData.gaussian(random, nTokens * xStride, 1f);
        int rowStart = random.nextInt(rows);
        int rowEnd = rowStart + 1 + random.nextInt(rows - rowStart);
        float[] fast = new float[nTokens * yStride];
        float[] reference = new float[nTokens * yStride];
        w.matmul(x, xStride, nTokens, fast, yStride, rowStart, rowEnd);
        w.matmulScalar(x, xStride, nTokens, reference, yStride, rowStart, rowEnd);
        float[] row = new float[cols];
        for (int r = rowStart; r < rowEnd; r++) {
            w.copyRow(r, row, 0);
            for (int t = 0; t < nTokens; t++) {
                double absSum = 0;
                for (int c = 0; c < cols; c++) {
                    absSum += Math.abs((double) row[c] * x[t * xStride + c]);
                }
                double tolerance = 4.0 * cols * 0x1p-24 * absSum;
                float expected = reference[t * yStride + r];
                float actual = fast[t * yStride + r];
                if (!(Math.abs(actual - expected) <= tolerance)) {
                    fail(type + " " + rows + "x" + cols + " row " + r + " token " + t + ": fast " + actual
                            + " scalar " + expected + " tolerance " + tolerance);
                }
            }
        }
        for (int t = 0; t < nTokens; t++) {
            for (int r = 0; r < yStride; r++) {
                if (r < rowStart || r >= rowEnd) {
                    assertEquals(0f, fast[t * yStride + r], "wrote outside the row range at row " + r);
                }
            }
        }
    }

    /** The tolerance above is tight enough to notice a single changed quantized value. */
    @Test
    void oneCorruptedWeightIsDetected() {
        Random random = new Random(5);
        int rows = 4;
        int cols = 256;
        ByteBuffer bytes =
                WeightMatrices.encode(GgmlType.Q8_0, WeightMatrixTestData.gaussian(random, rows * cols, 0.5f));
        float[] x = WeightMatrixTestData.gaussian(random, cols, 1f);
        float[] before = new float[rows];
        WeightMatrices.of(GgmlType.Q8_0, bytes, 0, rows, cols).matmul(x, cols, 1, before, rows, 0, rows);
        int quantByte = 2 * 34 + 2 + 17; // row 0, block 2, value 17
        bytes.put(quantByte, (byte) (bytes.get(quantByte) + 1));
        float[] after = new float[rows];
        WeightMatrices.of(GgmlType.Q8_0, bytes, 0, rows, cols).matmul(x, cols, 1, after, rows, 0, rows);
        float[] row = new float[cols];
        WeightMatrices.of(GgmlType.Q8_0, bytes, 0, rows, cols).copyRow(0, row, 0);
        double absSum = 0;
        for (int c = 0; c < cols; c++) {
            absSum += Math.abs((double) row[c] * x[c]);
        }
        assertTrue(Math.abs(after[0] - before[0]) > 4.0 * cols * 0x1p-24 * absSum,
                "a changed weight must move the result beyond the test tolerance");
    }

    /**
     * encode then copyRow returns every value within the type's quantization error: F32 exact; F16
     * half an ulp (2^-11 relative for normals, 2^-25 absolute below); BF16 2^-8 relative; Q8_0 half a
     * step {@code d = amax/127} plus the F16 rounding of d (127 * 2^-11 * d); Q4_0 one step
     * {@code |d| = amax/8} (the value opposite the signed max clamps from 8 to 7) plus the F16 rounding;
     * the other types as {@link #allowedError} derives for each.
     */
    @Property(tries = 60)
    void encodeThenCopyRowRoundTrips(@ForAll("types") GgmlType type, @ForAll @IntRange(min = 1, max = 9) int rows,
                                     @ForAll long seed) {
        checkRoundTrip(type, rows, seed);
    }

    private static void checkRoundTrip(GgmlType type, int rows, long seed) {
        Random random = new Random(seed);
        int cols = WeightMatrixTestData.randomCols(random, type, 200);
        float[] values = WeightMatrixTestData.gaussian(random, rows * cols, 0.1f + random.nextFloat() * 10f);
        WeightMatrix w = WeightMatrixTestData.matrix(type, values, rows, cols, random.nextInt(9));
        assertEquals(type, w.type());
        float[] row = new float[cols + 2];
        for (int r = 0; r < rows; r++) {
            w.copyRow(r, row, 1);
            for (int c = 0; c < cols; c++) {
                float v = values[r * cols + c];
                double error = Math.abs((double) row[1 + c] - v);
                double allowed = allowedError(type, values, r * cols + c);
                if (!(error <= allowed)) {
                    fail(type + " value " + v + " at column " + c + " came back as " + row[1 + c]
                            + ", allowed error " + allowed);
                }
            }
            assertEquals(0f, row[0]);
            assertEquals(0f, row[cols + 1]);
        }
    }

    /**
     * The largest error encoding may make on {@code values[index]}. For the K-quants, with S the largest
     * sub-block step ((max - min) / nmax, or |signed max| / nmax) and M the largest sub-block min: half a
     * step for the rounding, plus the error of the sub-block scales quantized against S (half a scale
     * step, times up to nmax quants where a value clamps at the top), plus the error of the quantized
     * mins; 1% and a few F16 ulps on top for the F16 super-block scales.
     */
    private static double allowedError(GgmlType type, float[] values, int index) {
        float v = values[index];
        int blockStart = index - index % type.blockSize();
        double f16 = 0x1p-10 * (blockStats(values, blockStart, 256)[0] + Math.abs(v));
        switch (type) {
            case F32:
                return 0;
            case F16:
                return Math.max(Math.abs(v) * 0x1p-11, 0x1p-25);
            case BF16:
                return Math.abs(v) * 0x1p-8;
            case Q8_0:
                return blockAbsMax(values, blockStart) / 127 * (0.5 + 127 * 0x1p-11) * 1.0001;
            case Q4_0:
                return blockAbsMax(values, blockStart) / 8 * (1 + 8 * 0x1p-11) * 1.0001;
            case Q5_0:
                return blockAbsMax(values, blockStart) / 16 * (1 + 16 * 0x1p-11) * 1.0001;
            case Q4_1:
            case Q5_1: {
                int nmax = type == GgmlType.Q4_1 ? 15 : 31;
                double[] s = blockStats(values, blockStart, 32);
                double range = s[1] - s[2];
                return (range / nmax * (0.5 + (nmax + 1) * 0x1p-11) + Math.abs(s[2]) * 0x1p-11) * 1.0001;
            }
            case Q4_K:
            case Q5_K:
            case Q2_K: {
                int nmax = type == GgmlType.Q4_K ? 15 : type == GgmlType.Q5_K ? 31 : 3;
                int group = type == GgmlType.Q2_K ? 16 : 32;
                double levels = type == GgmlType.Q2_K ? 15 : 63;
                double maxStep = 0;
                double maxMin = 0;
                for (int g = blockStart; g < blockStart + 256; g += group) {
                    double[] s = blockStats(values, g, group);
                    maxStep = Math.max(maxStep, (Math.max(0, s[1]) - Math.min(0, s[2])) / nmax);
                    maxMin = Math.max(maxMin, -Math.min(0, s[2]));
                }
                double scaleError = maxStep / (2 * levels);
                double minError = maxMin / (2 * levels);
                return (maxStep / 2 + scaleError * (nmax + 1) + 2 * minError) * 1.01 + f16;
            }
            case Q3_K:
            case Q6_K: {
                int nmax = type == GgmlType.Q3_K ? 4 : 32;
                double levels = type == GgmlType.Q3_K ? 32 : 128;
                int groupStart = index - index % 16;
                double groupStep = blockAbsMax16(values, groupStart) / nmax;
                double maxStep = blockStats(values, blockStart, 256)[0] / nmax;
                double scaleError = maxStep / (2 * levels);
                // the value opposite the group's signed max may clamp from nmax to nmax - 1: one step, not half
                return (groupStep + scaleError * (nmax + 1)) * 1.01 + f16;
            }
            default:
                throw new AssertionError(type);
        }
    }

    /** {max |v|, max v, min v} over {@code count} values from {@code start} (0 padded past the end). */
    private static double[] blockStats(float[] values, int start, int count) {
        double amax = 0;
        double max = -Double.MAX_VALUE;
        double min = Double.MAX_VALUE;
        for (int i = start; i < Math.min(values.length, start + count); i++) {
            amax = Math.max(amax, Math.abs(values[i]));
            max = Math.max(max, values[i]);
            min = Math.min(min, values[i]);
        }
        return new double[] {amax, max, min};
    }

    private static double blockAbsMax16(float[] values, int start) {
        return blockStats(values, start, 16)[0];
    }

    private static double blockAbsMax(float[] values, int blockStart) {
        double max = 0;
        for (int i = blockStart; i < blockStart + 32; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        return max;
    }

    /** Known blocks quantize like llama.cpp's reference quantizers. */
    @Test
    void quantizersMatchLlamaCppReference() {
        float[] values = new float[32];
        for (int i = 0; i < 32; i++) {
            values[i] = i - 12.7f; // max |v| 18.3 at i = 31, signed max +18.3
        }
        ByteBuffer q8 = WeightMatrices.encode(GgmlType.Q8_0, values);
        float d8 = 18.3f / 127f;
        assertEquals(Float16.floatToF16(d8), q8.getShort(0));
        assertEquals(127, q8.get(2 + 31));
        assertEquals(Math.round(-12.7f / d8 * 1f), q8.get(2)); // -88.13... -> -88
        float[] halves = new float[32];
        halves[0] = 127f;
        halves[1] = -2.5f;
        halves[2] = 2.5f;
        ByteBuffer tie = WeightMatrices.encode(GgmlType.Q8_0, halves); // d = 1: ties round away from zero
        assertEquals(-3, tie.get(3));
        assertEquals(3, tie.get(4));

        ByteBuffer q4 = WeightMatrices.encode(GgmlType.Q4_0, values);
        float d4 = 18.3f / -8f;
        assertEquals(Float16.floatToF16(d4), q4.getShort(0));
        int lastByte = q4.get(2 + 15) & 0xff; // holds values 15 (low) and 31 (high)
        assertEquals(0, lastByte >>> 4, "the signed max maps to nibble 0");
        assertEquals(Math.min(15, (int) (2.3f / d4 + 8.5f)), lastByte & 0x0f);
    }

    @Test
    void rejectsBadShapesAndRanges() {
        ByteBuffer bytes = WeightMatrices.encode(GgmlType.F32, new float[12]);
        assertThrows(IllegalArgumentException.class, () -> WeightMatrices.of(GgmlType.F32, bytes, 4, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> WeightMatrices.of(GgmlType.Q8_0, bytes, 0, 1, 16));
        assertThrows(IllegalArgumentException.class, () -> WeightMatrices.encode(GgmlType.Q4_0, new float[33]));
        WeightMatrix w = WeightMatrices.of(GgmlType.F32, bytes, 0, 3, 4);
        assertThrows(IndexOutOfBoundsException.class, () -> w.matmul(new float[4], 4, 1, new float[3], 3, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> w.matmul(new float[4], 4, 2, new float[6], 3, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> w.copyRow(3, new float[4], 0));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<GgmlType> types() {
        return net.jqwik.api.Arbitraries.of(GgmlType.values());
    }
}
