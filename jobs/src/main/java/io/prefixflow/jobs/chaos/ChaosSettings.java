package io.prefixflow.jobs.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * What a chaos run does.
 *
 * @param requests          requests to send
 * @param taskManagerKills  TaskManagers to kill with SIGKILL, one at a time, each replaced by a new one
 * @param killBroker        whether to kill and restart the broker once
 * @param delivery          the sinks' guarantee; at-least-once is the negative control
 * @param workDir           the cluster's work directory
 * @param seed              picks which TaskManager dies and the random delays
 * @param timeout           how long the chaotic run may take before it counts what it has
 * @param userClasspath     extra classpath of the cluster's processes (tests: the job's classes); usually empty,
 *                          the job then ships this program's jar
 */
public record ChaosSettings(int requests, int taskManagerKills, boolean killBroker, DeliveryGuarantee delivery,
                            Path workDir, long seed, Duration timeout, List<String> userClasspath) {
    public ChaosSettings {
        if (requests < 1) {
            throw new IllegalArgumentException("--requests must be >= 1, got " + requests);
        }
        if (taskManagerKills < 0) {
            throw new IllegalArgumentException("--taskmanager-kills must be >= 0, got " + taskManagerKills);
        }
        if (delivery != DeliveryGuarantee.EXACTLY_ONCE && delivery != DeliveryGuarantee.AT_LEAST_ONCE) {
            throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, got " + delivery);
        }
        userClasspath = List.copyOf(userClasspath);
    }
}
