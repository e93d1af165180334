package io.prefixflow.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakOutputsTest {
    private static final double MIB = 1024.0 * 1024.0;

    @Test
    void csvHasAHeaderAndARowPerSampleWithUnknownsEmpty(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("samples.csv");
        SamplesCsv.write(file, List.of(sample(10, Double.NaN), sample(20, 123.5)));
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("t_s,sent,completed,completed_in_interval,p99_ms,kv_used_blocks,"),
                lines.get(0));
        assertTrue(lines.get(0).endsWith(",taskmanager-1_heap_after_gc_mib,taskmanager-1_rss_mib"), lines.get(0));
        assertTrue(lines.get(1).startsWith("10,100,90,9,,"), "unknown p99 is empty: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("20,100,90,9,123.500,"), lines.get(2));
    }

    @Test
    void chartIsAPngWithNaNsLeftOut(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("soak.png");
        SoakChart.write(file, List.of(sample(10, Double.NaN), sample(20, 123.5), sample(30, 130)), 12);
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    void firstAndLastAreEachColumnsFirstAndLastKnownValue() {
        List<Sample> samples = List.of(sample(10, Double.NaN), sample(20, 123.5), sample(30, 130),
                sample(40, Double.NaN));
        assertEquals(123.5, Trends.firstKnown(samples).get("p99_ms"), "the first interval had no completion");
        assertEquals(130, Trends.lastKnown(samples).get("p99_ms"), "nor did the last");
        assertEquals(2, Trends.firstKnown(samples).get("kv_cached_blocks"), "known from the first sample on");
        assertTrue(Double.isNaN(Trends.firstKnown(List.of(sample(10, Double.NaN))).get("p99_ms")), "never known");
        assertFalse(Trends.firstKnown(samples).containsKey("sent"), "only trended columns");
    }

    @Test
    void prometheusTextSumsEveryEngine() {
        String text = "# TYPE x gauge\n"
                + EngineMetrics.PREFIX + "usedKvBlocks{subtask_index=\"0\"} 3.0\n"
                + EngineMetrics.PREFIX + "usedKvBlocks{subtask_index=\"1\"} 4.0\n"
                + EngineMetrics.PREFIX + "cachedKvBlocks{subtask_index=\"0\"} 10.0\n"
                + EngineMetrics.PREFIX + "freeKvBlocks{subtask_index=\"0\"} 99.0\n";
        assertEquals(new EngineMetrics(7, 10), EngineMetrics.parse(text));
        assertTrue(Double.isNaN(EngineMetrics.parse("").usedBlocks()), "not reported yet");
    }

    private static Sample sample(double t, double p99) {
        return new Sample(t, 100, 90, 9, p99, new EngineMetrics(1, 2), new CheckpointSize(3, 2048, 512, 3),
                Map.of("taskmanager-1", new ProcessMemory(100 * MIB, 300 * MIB)));
    }
}
