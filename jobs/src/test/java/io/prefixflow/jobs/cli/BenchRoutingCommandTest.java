package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench-routing} on a small run: every (p, workload, mode) is in its JSON, charts are written. */
class BenchRoutingCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsEveryModeAtEveryParallelismAsJson() throws Exception {
        Path calibration = dir.resolve("calibration.json");
        Files.writeString(calibration, "{\"prefill_tokens_per_s\": 200, \"decode\": [{\"concurrency\": 1,"
                + " \"tokens_per_s\": 20}, {\"concurrency\": 4, \"tokens_per_s\": 40}]}");
        GenerateCommandTest.Run run = GenerateCommandTest.run("bench-routing", "--calibration",
                calibration.toString(), "--parallelism", "2,4", "--requests-per-subtask", "6",
                "--kv-blocks-per-subtask", "400", "-Dprefixflow.routing.balance-rel-threshold=1.2",
                "--output", dir.resolve("out").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals(1.2, report.at("/settings/routing/balance_rel_threshold").asDouble());
        assertTrue(report.at("/machine/vcpus").asInt() >= 1);
        Set<String> seen = new HashSet<>();
        for (JsonNode row : report.get("results")) {
            seen.add(row.get("parallelism").asInt() + " " + row.get("workload").asText() + " "
                    + row.get("mode").asText());
            assertEquals(6 * row.get("parallelism").asInt(), row.get("requests").asInt(), row.toString());
            assertTrue(row.get("throughput_vs_ideal").asDouble() > 0, row.toString());
        }
        assertEquals(2 * 4 * 4, seen.size(), "p x workloads x (ideal + 3 modes): " + seen);
        assertTrue(Files.isRegularFile(dir.resolve("out/routing-sim.json")));
        assertTrue(Files.isRegularFile(dir.resolve("out/zipf-documents-throughput-vs-ideal.png")));
        assertTrue(Files.isRegularFile(dir.resolve("out/mix-hit-rate-vs-single-engine.png")));
    }
}
