package io.prefixflow.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchMetricsTest {
    private static RequestSample sample(int out, long ttft, long total, double e2e, List<Double> gaps) {
        return new RequestSample(100, 40, out, ttft, total, e2e, gaps, false, 1);
    }

    @Test
    void percentilesInterpolateBetweenClosestRanks() {
        double[] v = {10, 20, 30, 40};
        // rank = p/100 * 3: p50 -> 1.5 -> 25; p90 -> 2.7 -> 37; p99 -> 2.97 -> 39.7
        assertEquals(25.0, Distribution.percentile(v, 50), 1e-9);
        assertEquals(37.0, Distribution.percentile(v, 90), 1e-9);
        assertEquals(39.7, Distribution.percentile(v, 99), 1e-9);
        assertEquals(10.0, Distribution.percentile(v, 0), 1e-9);
        assertEquals(7.0, Distribution.percentile(new double[] {7}, 99), 1e-9);
        Distribution d = Distribution.of(List.of(40.0, 10.0, 30.0, 20.0));
        assertEquals(25.0, d.mean(), 1e-9);
        assertEquals(37.0, d.p90(), 1e-9);
        assertTrue(Double.isNaN(Distribution.of(List.of()).p50()));
    }

    @Test
    void tpotExcludesTheFirstToken() {
        // 5 tokens: first at 100 ms, last at 500 ms -> 4 gaps of 100 ms.
        assertEquals(100.0, sample(5, 100, 500, 600, List.of()).tpotMs(), 1e-9);
    }

    @Test
    void oneOutputTokenHasTpotZeroAndIsLeftOutOfTheDistribution() {
        RequestSample one = sample(1, 80, 80, 90, List.of());
        assertEquals(0.0, one.tpotMs());
        RunMetrics m = BenchMetrics.compute(List.of(one, sample(3, 100, 300, 400, List.of())), 2.0, Slo.NONE);
        assertEquals(1, m.tpotMs().count());
        assertEquals(100.0, m.tpotMs().mean(), 1e-9);
        assertEquals(2, m.ttftMs().count());
    }

    @Test
    void throughputsGoodputAndHitRate() {
        List<RequestSample> samples = List.of(
                sample(5, 100, 500, 700, List.of(10.0, 30.0)),   // tpot 100
                sample(5, 300, 700, 900, List.of(20.0)),         // ttft too slow
                sample(5, 100, 1300, 1500, List.of()),           // tpot 300: too slow
                sample(1, 50, 50, 60, List.of()),                // one token: meets any TPOT
                new RequestSample(10, 0, 0, -1, 5, 5, List.of(), true, 0));
        RunMetrics m = BenchMetrics.compute(samples, 4.0, Slo.parse("ttft:200,tpot:150"));
        assertEquals(4, m.completed());
        assertEquals(1, m.failed());
        assertEquals(1.0, m.requestThroughput(), 1e-9);
        assertEquals(16 / 4.0, m.outputTokenThroughput(), 1e-9);
        assertEquals(2 / 4.0, m.goodput(), 1e-9);
        assertEquals(160.0 / 400.0, m.prefixCacheHitRate(), 1e-9);
        assertEquals(20.0, m.itlMs().mean(), 1e-9);
        assertEquals((700 + 900 + 1500 + 60) / 4.0, m.e2eLatencyMs().mean(), 1e-9);
        assertEquals(4 / 4.0, BenchMetrics.compute(samples, 4.0, Slo.NONE).goodput(), 1e-9);
        assertEquals(List.of(0, 4), m.requestsPerSubtask(), "the error completion is not counted");
        assertEquals(2.0, m.maxMeanRequests(), 1e-9);
        RunMetrics four = BenchMetrics.compute(samples, 4.0, Slo.NONE, 4);
        assertEquals(List.of(0, 4, 0, 0), four.requestsPerSubtask(), "idle subtasks count");
        assertEquals(4.0, four.maxMeanRequests(), 1e-9);
    }

    @Test
    void sloNamesTheOption() {
        assertEquals(new Slo(200, Double.POSITIVE_INFINITY), Slo.parse("ttft:200"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Slo.parse("e2e:5")).getMessage()
                .startsWith("--slo e2e:5: unknown objective e2e"));
    }
}
