package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfFloatTest {
    private static float half(int bits) {
        return HalfFloat.toFloat((short) bits);
    }

    @Test
    void convertsNormalSubnormalAndSpecialValues() {
        assertEquals(1f, half(0x3C00));
        assertEquals(-2f, half(0xC000));
        assertEquals(0.333251953125f, half(0x3555));
        assertEquals(65504f, half(0x7BFF));
        assertEquals(0x1p-14f, half(0x0400), "smallest normal");
        assertEquals(0x1p-24f, half(0x0001), "smallest subnormal");
        assertEquals(-0x3FFp-24f, half(0x83FF), "largest negative subnormal");
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(half(0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, half(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, half(0xFC00));
        assertTrue(Float.isNaN(half(0x7E00)));
    }
}
