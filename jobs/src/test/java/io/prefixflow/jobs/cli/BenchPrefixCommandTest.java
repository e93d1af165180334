package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code bench-prefix} on a small workload: it runs both modes and the cache shows up in the figures. */
class BenchPrefixCommandTest {
    @Test
    void reportsBothModesWithReuseOnlyWhenTheCacheIsOn() throws Exception {
        GenerateCommandTest.Run run = GenerateCommandTest.run("bench-prefix", "--model", "dummy:tiny",
                "--threads", "1", "--groups", "2", "--prompts-per-group", "3", "--prefix-tokens", "64",
                "--suffix-tokens", "8", "--output-tokens", "4", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        JsonNode on = report.get("prefix_cache_on");
        JsonNode off = report.get("prefix_cache_off");
        assertEquals(6, report.get("requests").asInt());
        assertEquals(24, on.get("output_tokens").asInt());
        assertEquals(24, off.get("output_tokens").asInt());
        assertEquals(4 * 64, on.get("prefix_hit_tokens").asInt(), "all but the first prompt of each group reuse it");
        assertEquals(0, off.get("prefix_hit_tokens").asInt());
        assertTrue(on.get("peak_kv_blocks").asInt() < off.get("peak_kv_blocks").asInt(),
                "the shared prefix is held once per group: " + on + " vs " + off);
        assertTrue(report.get("request_throughput_ratio").asDouble() > 0);
    }
}
