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
     * {@code |d| = amax/8} (the value opposite the signed max clamps from 8 to 7) plus the F16 rounding.
     */
    @Property(tries = 40)
    void encodeThenCopyRowRoundTrips(@ForAll("types") GgmlType type, @ForAll @IntRange(min = 1, max = 9) int rows,
                                     @ForAll long seed) {
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
                double allowed = allowedError(type, values, r * cols + c - c % 32, v);
                if (!(error <= allowed)) {
                    fail(type + " value " + v + " came back as " + row[1 + c] + ", allowed error " + allowed);
                }
            }
            assertEquals(0f, row[0]);
            assertEquals(0f, row[cols + 1]);
        }
    }

    private static double allowedError(GgmlType type, float[] values, int blockStart, float v) {
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
            default:
                throw new AssertionError(type);
        }
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
