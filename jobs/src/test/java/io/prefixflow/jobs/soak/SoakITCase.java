package io.prefixflow.jobs.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefixflow.jobs.cluster.TestClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A 40-second soak on a real local cluster (broker, JobManager, one TaskManager) at 3 requests/s, a sample every
 * 5 s: every request completes, the CSV has a row per sample with every process's heap after GC and RSS, the KV
 * blocks, the checkpoint size once a checkpoint completed and the p99 latency; the JSON line has a slope for each.
 */
class SoakITCase {
    private static final List<String> ROLES = List.of("kafka", "jobmanager", "taskmanager-1");

    @Test
    void aShortSoakSamplesEverySeriesAndLosesNothing() throws Exception {
        Path workDir = Files.createTempDirectory("prefixflow-soak-itcase");
        SoakSettings settings = new SoakSettings(Duration.ofSeconds(40), 3, Duration.ofSeconds(5), 1, workDir,
                workDir.resolve("out"), false, Duration.ofMinutes(1), TestClusters.userClasspath());
        SoakReport report = new SoakRun(settings, System.err::println).run();
        String json = report.toJson();
        System.err.println(json);

        assertEquals(0, report.lost(), "every request completes: " + json + "; logs in " + workDir);
        assertTrue(report.sent() >= 110 && report.sent() <= 120, "3/s for 40 s: " + json);
        assertTrue(report.clean(), json);

        List<Map<String, String>> rows = csv(settings.outDir().resolve("samples.csv"));
        assertTrue(rows.size() >= 6, "a sample every 5 s over 40 s: " + rows.size());
        for (Map<String, String> row : rows) {
            for (String role : ROLES) {
                assertTrue(number(row, role + "_heap_after_gc_mib") > 1, role + " heap in " + row);
                assertTrue(number(row, role + "_rss_mib") > number(row, role + "_heap_after_gc_mib"),
                        role + " RSS holds its heap and more: " + row);
            }
            assertTrue(number(row, "kv_cached_blocks") >= 0 && number(row, "kv_used_blocks") >= 0, row.toString());
            if (number(row, "checkpoint_id") >= 1) {
                assertTrue(number(row, "checkpoint_state_bytes") > 0, "a completed checkpoint has a size: " + row);
            }
            if (number(row, "completed_in_interval") > 0) {
                double p99 = number(row, "p99_ms");
                assertTrue(p99 > 0 && p99 < 60_000, "p99 in (0, 60 s): " + row);
            }
        }
        Map<String, String> last = rows.get(rows.size() - 1);
        assertTrue(number(last, "checkpoint_id") >= 1, "checkpoints complete every 2 s: " + last);
        assertTrue(number(last, "kv_cached_blocks") > 0, "prompts leave cached blocks: " + last);
        assertTrue(Files.size(settings.outDir().resolve("soak.png")) > 10_000, "a chart");

        JsonNode o = new ObjectMapper().readTree(json);
        assertEquals(o, new ObjectMapper().readTree(Files.readString(settings.outDir().resolve("soak.json"))));
        assertTrue(o.path("p99_ms").asDouble() > 0, json);
        List<String> slopes = new ArrayList<>(List.of("p99_ms", "kv_used_blocks", "kv_cached_blocks",
                "checkpoint_state_bytes"));
        ROLES.forEach(r -> slopes.addAll(List.of(r + "_heap_after_gc_mib", r + "_rss_mib")));
        for (String series : slopes) {
            assertTrue(o.path("slopes_per_hour").path(series).isNumber(), series + " has a slope: " + json);
            assertTrue(o.path("first").path(series).isNumber() && o.path("last").path(series).isNumber(),
                    series + " has first and last values: " + json);
        }
    }

    private static List<Map<String, String>> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static double number(Map<String, String> row, String column) {
        String v = row.get(column);
        assertTrue(v != null && !v.isEmpty(), column + " is known in " + row);
        return Double.parseDouble(v);
    }
}
