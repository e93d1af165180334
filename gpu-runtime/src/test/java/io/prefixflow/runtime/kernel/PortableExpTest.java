package io.prefixflow.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

class PortableExpTest {

    /** Within 2 ulp of the correctly rounded e^x over the unclamped range, on a dense sweep. */
    @Test
    void scalarIsAccurate() {
        for (float x = -87f; x <= 88f; x += 0.00731f) {
            double exact = Math.exp(x);
            float actual = PortableExp.exp(x);
            double ulp = Math.ulp((float) exact);
            assertTrue(Math.abs(actual - exact) <= 2 * ulp, "exp(" + x + ") = " + actual + " vs " + exact);
        }
        assertEquals(1f, PortableExp.exp(0f));
        assertEquals(1f, PortableExp.exp(-0f));
    }

    @Test
    void clampsOutsideTheRange() {
        assertEquals(PortableExp.exp(-87f), PortableExp.exp(-1000f));
        assertEquals(PortableExp.exp(-87f), PortableExp.exp(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isFinite(PortableExp.exp(1000f)));
    }

    /** The vector version is bit-identical to the scalar one, lane by lane. */
    @Property(tries = 300)
    void vectorEqualsScalarBitForBit(@ForAll @FloatRange(min = -120f, max = 100f) float base,
                                     @ForAll @FloatRange(min = 0f, max = 3f) float step) {
        float[] in = new float[SimdLanes.LANES];
        for (int i = 0; i < in.length; i++) {
            in[i] = base + i * step;
        }
        float[] out = new float[in.length];
        PortableExp.exp(FloatVector.fromArray(SimdLanes.FLOATS, in, 0)).intoArray(out, 0);
        for (int i = 0; i < in.length; i++) {
            assertEquals(Float.floatToRawIntBits(PortableExp.exp(in[i])), Float.floatToRawIntBits(out[i]),
                    "lane " + i + " x = " + in[i]);
        }
    }
}
