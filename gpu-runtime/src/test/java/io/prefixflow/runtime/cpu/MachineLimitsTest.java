package io.prefixflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The probe reports the species it measured with and finite, positive rates (their size is a benchmark's business). */
class MachineLimitsTest {
    @Test
    void measuresThePreferredSpeciesAndPositiveRates() {
        MachineLimits limits = MachineLimits.measure(1);
        assertEquals(FloatVector.SPECIES_PREFERRED.vectorBitSize(), limits.vectorBits());
        assertTrue(limits.fmaGflopsPerCore() > 0 && Double.isFinite(limits.fmaGflopsPerCore()), limits.toString());
        assertTrue(limits.readGBps() > 0 && Double.isFinite(limits.readGBps()), limits.toString());
        assertEquals(4 * limits.fmaGflopsPerCore(), limits.fmaGflops(4), 1e-9);
        assertFalse(limits.cpuModel().isBlank());
    }
}
