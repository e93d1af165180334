package io.prefixflow.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {
    @Test
    void anExactLineGivesItsSlopeAndNoError() {
        LeastSquares fit = LeastSquares.fit(new double[] {0, 1, 2, 3}, new double[] {5, 7, 9, 11});
        assertEquals(2.0, fit.slope(), 1e-12);
        assertEquals(0.0, fit.slopeStdError(), 1e-12);
        assertEquals(4, fit.points());
    }

    @Test
    void noisyPointsGiveTheTextbookFit() {
        // x = 1..5, y = 2, 4, 5, 4, 5: Sxx = 10, Sxy = 6, slope 0.6, intercept 2.2; SSR = 2.4, se = sqrt(0.8/10).
        LeastSquares fit = LeastSquares.fit(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 5, 4, 5});
        assertEquals(0.6, fit.slope(), 1e-12);
        assertEquals(Math.sqrt(0.08), fit.slopeStdError(), 1e-12);
    }

    @Test
    void nanPointsAreLeftOut() {
        LeastSquares fit = LeastSquares.fit(new double[] {0, 1, 2, 3}, new double[] {1, Double.NaN, 5, 7});
        assertEquals(3, fit.points());
        assertEquals(2.0, fit.slope(), 1e-12);
    }

    @Test
    void tooFewPointsOrOneXHaveNoSlope() {
        assertTrue(Double.isNaN(LeastSquares.fit(new double[] {1}, new double[] {1}).slope()));
        assertTrue(Double.isNaN(LeastSquares.fit(new double[] {2, 2, 2}, new double[] {1, 2, 3}).slope()));
        assertTrue(Double.isNaN(LeastSquares.fit(new double[] {0, 1}, new double[] {0, 1}).slopeStdError()));
    }

    @Test
    void trendsArePerHourAndSkipTheWarmUp() {
        // Heap grows 1 MiB per 60 s after the warm-up (60 MiB/h); the warm-up sample at t=0 is far off the line.
        List<Sample> samples = List.of(sample(0, 500), sample(60, 101), sample(120, 102), sample(180, 103));
        Map<String, LeastSquares> trends = Trends.perHour(samples, 30);
        assertEquals(60.0, trends.get("taskmanager-1_heap_after_gc_mib").slope(), 1e-9);
        assertEquals(0.0, trends.get("taskmanager-1_rss_mib").slope(), 1e-9);
        assertTrue(trends.containsKey("p99_ms") && trends.containsKey("kv_cached_blocks")
                && trends.containsKey("checkpoint_state_bytes"));
        assertTrue(!trends.containsKey("sent") && !trends.containsKey("checkpoint_id"), "counters have no trend");
    }

    private static Sample sample(double t, double heapMib) {
        double mib = 1024.0 * 1024.0;
        return new Sample(t, 10, 10, 1, 100, new EngineMetrics(1, 2), new CheckpointSize(1, 1000, 10, 1),
                Map.of("taskmanager-1", new ProcessMemory(heapMib * mib, 300 * mib)));
    }
}
