package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.operator.testing.DirectEngine;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import io.prefixflow.runtime.engine.EngineResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache-aware routing across a rescale: the job runs at parallelism 2, stops with a savepoint while requests are in
 * flight, and restarts from it at parallelism 3. Routing rebuilds its subtask keys for three subtasks, the in-flight
 * requests resume wherever their list state lands, and a {@code read_committed} consumer sees every completion of
 * both batches exactly once, each equal to the engine's own.
 */
class RescaleITCase {
    private static final int FIRST = 40;
    private static final int SECOND = 12;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(3);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 3)
            .topic("completions", 3)
            .topic("dead", 1);

    @Test
    @Timeout(180)
    void aRescaledJobFinishesEveryRequestOnce(@TempDir Path checkpoints, @TempDir Path savepoints) throws Exception {
        String system = "Once upon a time, in a small town by the sea, there lived a kind old man who told stories"
                + " to every child that came by his door. ";
        List<InferenceRequest> first = new ArrayList<>();
        for (int i = 0; i < FIRST; i++) {
            first.add(TestRequests.prompt("a" + i, system + "Story number " + i + " was about", 300, 7 + i));
        }
        List<InferenceRequest> second = new ArrayList<>();
        for (int i = 0; i < SECOND; i++) {
            second.add(TestRequests.prompt("b" + i, "A new tale " + i * 31 + ": the little fox", 40, 900 + i));
        }
        KafkaJobTesting.produce(KAFKA.kafka(), "prompts", first);

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", null);
        conf.set(KafkaJobOptions.BOUNDED, false);
        // one sequence at a time per engine, so that the first job is still busy when it is stopped: with all
        // 40 running at once a fast enough engine finished them before the first checkpoint committed any
        conf.set(InferenceOptions.MAX_RUNNING, 1);
        InferenceSettings settings = InferenceSettings.from(conf);
        assertThat(settings.routing().mode()).isEqualTo(RoutingMode.CACHE_AWARE);
        JobClient before = start(conf, 2);
        List<Completion> early = KafkaJobTesting.awaitCommitted(KAFKA.kafka(), "completions", Completion.class, 1,
                Duration.ZERO, Duration.ofSeconds(60), before);
        String savepoint = before.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        int committedBefore = KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class).size();
        assertThat(early).isNotEmpty();
        assertThat(committedBefore).as("requests left for the rescaled job").isLessThan(FIRST);

        KafkaJobTesting.produce(KAFKA.kafka(), "prompts", second);
        Configuration restore = new Configuration(conf);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient after = start(restore, 3);
        List<Completion> completions;
        try {
            completions = KafkaJobTesting.awaitCommitted(KAFKA.kafka(), "completions", Completion.class,
                    FIRST + SECOND, Duration.ofSeconds(2), Duration.ofSeconds(120), after);
        } finally {
            after.cancel().get();
        }

        Map<String, Completion> byId = KafkaJobTesting.byId(completions, Completion::getRequestId);
        assertThat(byId).hasSize(FIRST + SECOND);
        List<InferenceRequest> all = new ArrayList<>(first);
        all.addAll(second);
        Map<String, EngineResult> expected = DirectEngine.complete(settings, all);
        Set<Integer> servedAfter = new HashSet<>();
        byId.forEach((id, c) -> {
            assertThat(c.getText()).as(id).isEqualTo(expected.get(id).text());
            assertThat(c.getFinishReason().name()).as(id).isEqualTo(expected.get(id).finishReason().name());
        });
        for (InferenceRequest r : second) {
            servedAfter.add(byId.get(r.getId()).getServedBySubtask());
        }
        for (Completion c : completions) {
            if (c.getServedBySubtask() == 2) {
                servedAfter.add(2);
            }
        }
        assertThat(servedAfter).as("the third subtask serves after the rescale").contains(2);
    }

    private static JobClient start(Configuration conf, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        return env.executeAsync("rescale-itcase-p" + parallelism);
    }
}
