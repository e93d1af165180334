package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void countsEachValueInTheFirstBucketWhoseBoundHoldsIt() {
        LatencyHistogram histogram = new LatencyHistogram(new double[] {1, 10, 100});
        histogram.recordNanos(500_000);      // 0.5 ms
        histogram.recordNanos(1_000_000);    // 1 ms, on the bound
        histogram.recordNanos(7_000_000);    // 7 ms
        histogram.recordNanos(250_000_000);  // 250 ms, overflow
        histogram.recordNanos(-5);           // clamped to 0
        HistogramSnapshot snapshot = histogram.snapshot();
        assertArrayEquals(new long[] {3, 1, 0, 1}, snapshot.counts());
        assertEquals(5, snapshot.count());
        assertEquals(258.5, snapshot.sumMs(), 1e-9);
        assertEquals(1, snapshot.quantileUpperBoundMs(0.5));
        assertEquals(10, snapshot.quantileUpperBoundMs(0.8));
        assertEquals(Double.POSITIVE_INFINITY, snapshot.quantileUpperBoundMs(1.0));
    }

    @Test
    void boundsMustIncrease() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LatencyHistogram(new double[] {5, 5}));
        assertEquals("bucket bounds must be positive and strictly increasing; bound 1 is 5.0", e.getMessage());
    }
}
