package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Bf16Test {
    @Test
    void exactValuesKeepTheirBits() {
        assertEquals((short) 0x3F80, Bf16.fromFloat(1f));
        assertEquals((short) 0xC000, Bf16.fromFloat(-2f));
        assertEquals((short) 0x0000, Bf16.fromFloat(0f));
        assertEquals((short) 0x8000, Bf16.fromFloat(-0f));
        assertEquals((short) 0x7F80, Bf16.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals((short) 0xFF80, Bf16.fromFloat(Float.NEGATIVE_INFINITY));
    }

    @Test
    void tiesRoundToEven() {
        // 1 + 2^-8 lies halfway between 1 (even mantissa) and 1 + 2^-7: it goes to 1.
        assertEquals((short) 0x3F80, Bf16.fromFloat(1f + 0x1p-8f));
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): it goes up.
        assertEquals((short) 0x3F82, Bf16.fromFloat(1f + 3 * 0x1p-8f));
        // Just above a tie rounds up.
        assertEquals((short) 0x3F81, Bf16.fromFloat(Math.nextUp(1f + 0x1p-8f)));
    }

    @Test
    void overflowRoundsToInfinityAndNanStaysNan() {
        assertEquals((short) 0x7F80, Bf16.fromFloat(Float.MAX_VALUE));
        assertTrue(Float.isNaN(Bf16.toFloat(Bf16.fromFloat(Float.NaN))));
        // A NaN whose payload sits only in the low 16 bits must not become infinity.
        float lowPayloadNaN = Float.intBitsToFloat(0x7F80_0001);
        assertTrue(Float.isNaN(Bf16.toFloat(Bf16.fromFloat(lowPayloadNaN))));
        assertTrue(Bf16.toFloat(Bf16.fromFloat(-lowPayloadNaN)) != Bf16.toFloat(Bf16.fromFloat(lowPayloadNaN))
                || Float.isNaN(Bf16.toFloat(Bf16.fromFloat(-lowPayloadNaN))));
    }

    @Test
    void everyBf16RoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = Bf16.toFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, Bf16.fromFloat(value), "bf16 bits " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void randomFloatsGoToTheNearestNeighbour() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(value) || Float.isInfinite(value)) {
                continue;
            }
            int bits = Float.floatToRawIntBits(value);
            float down = Float.intBitsToFloat(bits & 0xFFFF_0000);
            float up = Float.intBitsToFloat((bits & 0xFFFF_0000) + 0x1_0000);
            float got = Bf16.toFloat(Bf16.fromFloat(value));
            // Above the largest bfloat16 the next step up is 2^128, which IEEE rounding represents as infinity.
            double upValue = Float.isInfinite(up) ? Math.copySign(0x1p128, value) : up;
            double gotValue = Float.isInfinite(got) ? Math.copySign(0x1p128, got) : got;
            double errGot = Math.abs(gotValue - value);
            double best = Math.min(Math.abs((double) down - value), Math.abs(upValue - value));
            assertTrue(errGot <= best, () -> value + " -> " + got);
        }
    }

    @Test
    void encodesArrays() {
        float[] src = {0.5f, -3f, 1e-3f};
        short[] dst = new short[5];
        Bf16.encode(src, 1, dst, 2, 2);
        assertEquals(Bf16.fromFloat(-3f), dst[2]);
        assertEquals(Bf16.fromFloat(1e-3f), dst[3]);
        assertEquals(0, dst[0]);
    }
}
