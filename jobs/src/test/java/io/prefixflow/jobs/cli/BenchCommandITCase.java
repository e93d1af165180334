package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} end to end on the built-in model, tiny sizes: two runs (prefix cache on, off) and their files. */
class BenchCommandITCase {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void benchComparesPrefixCacheAndWritesParsableResults() throws Exception {
        GenerateCommandTest.Run run = GenerateCommandTest.run("bench", "--workload", "conversation",
                "--num-requests", "6", "--num-sessions", "2", "--input-len", "12", "--output-len", "3",
                "--request-rate", "50", "--compare", "prefix-cache", "--parallelism", "1", "--warmup-requests", "1",
                "--slo", "ttft:60000,tpot:60000", "--output", dir.toString());
        assertEquals(0, run.exitCode(), () -> "stdout:\n" + run.out() + "\nstderr:\n" + run.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(dir.resolve("summary.json").toFile());
        assertEquals(2, summary.get("runs").size());
        for (String name : new String[] {"cache-aware-routing_cache-on_rate-50", "cache-aware-routing_cache-off_rate-50"}) {
            JsonNode r = json.readTree(dir.resolve("runs").resolve(name + ".json").toFile());
            assertEquals(6, r.get("metrics").get("completed").asInt(), r.toString());
            assertTrue(r.get("metrics").get("request_throughput").asDouble() > 0, r.toString());
            assertEquals(r.get("metrics").get("request_throughput").asDouble(),
                    r.get("metrics").get("goodput").asDouble(), 1e-9);
            assertEquals("conversation", r.get("config").get("workload").asText());
            assertTrue(r.get("peak_kv_blocks").asLong() > 0, r.toString());
        }
        assertTrue(Files.size(dir.resolve("request_throughput.png")) > 0);
        assertTrue(Files.size(dir.resolve("compare_prefix_cache.png")) > 0);
        assertTrue(Files.readString(dir.resolve("report.html")).contains("compare_prefix_cache.png"));
    }
}
