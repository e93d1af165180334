package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
