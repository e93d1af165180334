package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The all-at-once Q4_K/Q5_K scale decoding gives ggml's {@code get_scale_min_k4}, one sub-block at a time. */
class KQuantScalesTest {

    @Property(tries = 500)
    void packedScalesAndMinsEqualOneAtATime(@ForAll @Size(16) byte[] bytes, @ForAll @IntRange(max = 4) int off) {
        long scales = KQuantScales.scalesK4(bytes, off);
        long mins = KQuantScales.minsK4(bytes, off);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (int j = 0; j < 8; j++) {
            assertEquals(KQuantScales.scaleK4(buffer, off, j), KQuantScales.packed(scales, j), "scale " + j);
            assertEquals(KQuantScales.minK4(buffer, off, j), KQuantScales.packed(mins, j), "min " + j);
        }
    }
}
