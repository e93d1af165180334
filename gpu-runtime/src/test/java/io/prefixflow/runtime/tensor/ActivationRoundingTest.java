package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationRoundingTest {
    @Test
    void q8KKeepsTheLargestValueExactlyAndEveryValueWithinHalfAStep() {
        Random random = new Random(3);
        float[] x = new float[512];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        x[17] = -9f;
        x[300] = 5f;
        float[] out = new float[x.length];
        ActivationRounding.roundRows(GgmlType.Q4_K, x, x.length, 1, x.length, out);
        assertEquals(-9f, out[17]);
        assertEquals(5f, out[300]);
        for (int i = 0; i < x.length; i++) {
            float step = i < 256 ? 9f / 127 : 5f / 127;
            assertTrue(Math.abs(out[i] - x[i]) <= step / 2 * 1.0001f, "value " + i);
            // on its block's grid: a whole number of steps
            assertTrue(Math.abs(out[i] / step - Math.rint(out[i] / step)) < 1e-3f, "value " + i);
        }
    }

    @Test
    void q8_0RoundsPer32ValuesWithAnF16Scale() {
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = i / 31f;
        }
        x[40] = 1e-3f;
        float[] out = new float[64];
        ActivationRounding.roundRows(GgmlType.Q8_0, x, 64, 1, 64, out);
        float d = Float16.f16ToFloat(Float16.floatToF16(1f / 127));
        for (int i = 0; i < 32; i++) {
            assertEquals((float) Math.rint(x[i] * 127f) * d, out[i], "value " + i);
        }
        assertEquals(127 * Float16.f16ToFloat(Float16.floatToF16(1e-3f / 127)), out[40]);
        assertEquals(0f, out[41]);
    }

    @Test
    void rowsAreRoundedOnTheirOwnAndF32IsUntouched() {
        float[] alone = new float[4];
        ActivationRounding.roundRows(GgmlType.F16, new float[] {1.0001f, 2f, 3f, 0f}, 4, 1, 4, alone);
        float[] batch = new float[8];
        ActivationRounding.roundRows(GgmlType.F16, new float[] {1.0001f, 2f, 3f, 0f, 100f, 200f, 300f, 0f}, 4, 2, 4,
                batch);
        assertEquals(alone[0], batch[0]);
        assertEquals(Float16.f16ToFloat(Float16.floatToF16(1.0001f)), batch[0]);
        assertFalse(ActivationRounding.GGML.applies(GgmlType.F32));
        assertFalse(ActivationRounding.NONE.applies(GgmlType.Q4_K));
        assertEquals(ActivationRounding.GGML, ActivationRounding.parse(" GGML "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ActivationRounding.parse("q8")).getMessage()
                .contains("expected none or ggml"));
    }
}
