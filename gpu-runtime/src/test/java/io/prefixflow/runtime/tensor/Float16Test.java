package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void f16EdgeValuesDecode() {
        assertBits(0f, Float16.f16ToFloat((short) 0x0000));
        assertBits(-0f, Float16.f16ToFloat((short) 0x8000));
        assertBits(0x1p-24f, Float16.f16ToFloat((short) 0x0001)); // smallest subnormal
        assertBits(0x3ffp-24f, Float16.f16ToFloat((short) 0x03ff)); // largest subnormal
        assertBits(-0x1p-24f, Float16.f16ToFloat((short) 0x8001));
        assertBits(0x1p-14f, Float16.f16ToFloat((short) 0x0400)); // smallest normal
        assertBits(1f, Float16.f16ToFloat((short) 0x3c00));
        assertBits(-2f, Float16.f16ToFloat((short) 0xc000));
        assertBits(65504f, Float16.f16ToFloat((short) 0x7bff));
        assertBits(Float.POSITIVE_INFINITY, Float16.f16ToFloat((short) 0x7c00));
        assertBits(Float.NEGATIVE_INFINITY, Float16.f16ToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(Float16.f16ToFloat((short) 0x7e00)));
    }

    @Test
    void f16EdgeValuesEncode() {
        assertEquals((short) 0x0000, Float16.floatToF16(0f));
        assertEquals((short) 0x8000, Float16.floatToF16(-0f));
        assertEquals((short) 0x0001, Float16.floatToF16(0x1p-24f));
        assertEquals((short) 0x0000, Float16.floatToF16(0x1p-25f)); // tie between 0 and 2^-24 -> even (0)
        assertEquals((short) 0x0002, Float16.floatToF16(0x3p-25f)); // tie between 1 and 2 units -> even (2)
        assertEquals((short) 0x0001, Float16.floatToF16(0x1.000002p-25f)); // just above the tie
        assertEquals((short) 0x0400, Float16.floatToF16(0x1p-14f));
        assertEquals((short) 0x7bff, Float16.floatToF16(65504f));
        assertEquals((short) 0x7bff, Float16.floatToF16(65519.99f));
        assertEquals((short) 0x7c00, Float16.floatToF16(65520f)); // tie at max -> even, which is infinity
        assertEquals((short) 0x7c00, Float16.floatToF16(1e9f));
        assertEquals((short) 0xfc00, Float16.floatToF16(Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x3c00, Float16.floatToF16(1f + 0x1p-11f)); // tie -> even mantissa 0
        assertEquals((short) 0x3c02, Float16.floatToF16(1f + 0x3p-11f)); // tie -> even mantissa 2
        assertTrue(Float.isNaN(Float16.f16ToFloat(Float16.floatToF16(Float.NaN))));
    }

    @Test
    void everyFiniteF16RoundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7c00) == 0x7c00) {
                continue;
            }
            float value = Float16.f16ToFloat((short) bits);
            assertEquals((short) bits, Float16.floatToF16(value), "bits 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void branchFreeDecodeMatchesForEveryFiniteValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7c00) != 0x7c00) {
                assertBits(Float16.f16ToFloat((short) bits), Float16.finiteF16ToFloat((short) bits));
            }
        }
    }

    /** The vector path of F16WeightMatrix (bit trick) must decode every finite F16 exactly like the scalar one. */
    @Test
    void vectorF16DecodeMatchesScalarForEveryFiniteValue() {
        int count = 0x10000;
        ByteBuffer bytes = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits = 0; bits < count; bits++) {
            boolean special = (bits & 0x7c00) == 0x7c00;
            bytes.putShort(bits * 2, (short) (special ? 0x3c00 : bits));
        }
        WeightMatrix matrix = WeightMatrices.of(GgmlType.F16, bytes, 0, 1, count);
        float[] row = new float[count];
        matrix.copyRow(0, row, 0);
        for (int i = 0; i < count; i++) {
            assertBits(Float16.f16ToFloat(bytes.getShort(i * 2)), row[i]);
        }
    }

    /** Bit patterns cover every finite magnitude below 65520 (F16 subnormals included) with nothing discarded. */
    @Property(tries = 2000)
    void f16EncodeIsNearest(@ForAll @IntRange(min = 0, max = 0x477FEFFF) int magnitudeBits, @ForAll boolean negative) {
        float value = Float.intBitsToFloat(magnitudeBits | (negative ? 0x80000000 : 0));
        short encoded = Float16.floatToF16(value);
        double error = Math.abs((double) Float16.f16ToFloat(encoded) - value);
        for (int neighbour : new int[] {encoded - 1, encoded + 1}) {
            if ((neighbour & 0x7c00) == 0x7c00 || ((neighbour ^ encoded) & 0x8000) != 0) {
                continue;
            }
            double other = Math.abs((double) Float16.f16ToFloat((short) neighbour) - value);
            assertTrue(error <= other, value + " encoded to a farther value than its neighbour");
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3f80, Float16.floatToBf16(1f));
        assertEquals((short) 0x3f80, Float16.floatToBf16(Float.intBitsToFloat(0x3f808000))); // tie -> even
        assertEquals((short) 0x3f82, Float16.floatToBf16(Float.intBitsToFloat(0x3f818000))); // tie -> even
        assertEquals((short) 0x3f81, Float16.floatToBf16(Float.intBitsToFloat(0x3f808001)));
        assertEquals((short) 0x8000, Float16.floatToBf16(-0f));
        assertEquals((short) 0x0001, Float16.floatToBf16(Float.intBitsToFloat(0x00010000))); // subnormal kept
        assertTrue(Float.isNaN(Float16.bf16ToFloat(Float16.floatToBf16(Float.NaN))));
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7f80) != 0x7f80) {
                assertEquals((short) bits, Float16.floatToBf16(Float16.bf16ToFloat((short) bits)));
            }
        }
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                "expected " + expected + " got " + actual);
    }
}
