package io.prefixflow.jobs.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.jobs.cluster.TestClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * The CI-sized chaos run: 200 requests on a real local cluster, one TaskManager killed with SIGKILL right after a
 * checkpoint completes and replaced; a read_committed consumer then sees every request's completion once, with
 * the uninterrupted run's text.
 */
class ChaosITCase {
    @Test
    void aKilledTaskManagerLosesDuplicatesAndChangesNothing() throws Exception {
        Path workDir = Files.createTempDirectory("prefixflow-chaos-itcase");
        ChaosSettings settings = new ChaosSettings(200, 1, false, DeliveryGuarantee.EXACTLY_ONCE, workDir, 7,
                Duration.ofMinutes(5), TestClusters.userClasspath());
        ChaosReport report = new ChaosRun(settings, System.err::println).run();
        System.err.println(report.toJson());
        assertEquals(1, report.taskManagerKills(), report.toJson());
        assertTrue(report.restarts() >= 1, "the kill restarted the job: " + report.toJson());
        assertEquals(200, report.completions(), report.toJson());
        assertTrue(report.clean(), "nothing lost, duplicated or changed: " + report.toJson() + "; logs in " + workDir);
    }
}
