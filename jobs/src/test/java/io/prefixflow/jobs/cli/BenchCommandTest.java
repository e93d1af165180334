package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.operator.config.RoutingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void unreachableKafkaIsNamedWithinTheTimeout() {
        GenerateCommandTest.Run run = GenerateCommandTest.run("bench", "--bootstrap-servers", "127.0.0.1:1",
                "--connect-timeout", "2s", "--num-requests", "1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("error: cannot reach Kafka at --bootstrap-servers 127.0.0.1:1 within"
                + " --connect-timeout 2 s"), run.err());
    }

    @Test
    void badOptionsNameTheOption() {
        assertTrue(GenerateCommandTest.run("bench", "--compare", "tenants").err()
                .contains("--compare tenants: expected routing or prefix-cache"));
        assertTrue(GenerateCommandTest.run("bench", "--request-rate", "fast").err()
                .contains("--request-rate fast: expected a rate > 0 in requests/s or inf"));
        assertTrue(GenerateCommandTest.run("bench", "--workload", "chat").err().contains("--workload chat"));
    }

    @Test
    void everyRoutingAndCacheVariantGetsOneWarmUpRunAtTheFirstRate() {
        List<BenchCommand.Variant> variants = List.of(
                new BenchCommand.Variant(RoutingMode.CACHE_AWARE, true, 2),
                new BenchCommand.Variant(RoutingMode.ROUND_ROBIN, true, 2),
                new BenchCommand.Variant(RoutingMode.CACHE_AWARE, false, 2),
                new BenchCommand.Variant(RoutingMode.CACHE_AWARE, true, 4),
                new BenchCommand.Variant(RoutingMode.ROUND_ROBIN, true, 4));
        assertEquals(variants.subList(0, 3), BenchCommand.warmUpVariants(variants));
    }
}
