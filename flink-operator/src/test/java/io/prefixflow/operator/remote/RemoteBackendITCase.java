package io.prefixflow.operator.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.RemoteOptions;
import io.prefixflow.operator.config.ServingBackend;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobSettings;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka job with {@code prefixflow.serving.backend = OPENAI} against {@link FakeOpenAiServer}: every
 * valid request gets exactly one completion (served, or an error completion for the server's scripted 400s,
 * malformed bodies and a request past the timeout; a scripted 500 is retried), undecodable records are
 * dead-lettered, the job finishes, and the server never sees more than max-in-flight requests at once.
 */
class RemoteBackendITCase {
    private static final int MAX_IN_FLIGHT = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(1);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 1)
            .topic("completions", 1)
            .topic("dead", 1);

    @Test
    @Timeout(60)
    void everyRequestIsAnsweredOnceThroughTheRemoteServer(@TempDir Path checkpoints) throws Exception {
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            requests.add(TestRequests.prompt("ok-" + i, "prompt " + i, 4, i));
        }
        requests.add(TestRequests.prompt("retried", "fail-once:500 please", 4, 1));
        requests.add(TestRequests.prompt("bad-1", "status:400", 4, 1));
        requests.add(TestRequests.prompt("bad-2", "status:404", 4, 1));
        requests.add(TestRequests.prompt("junk", "malformed", 4, 1));
        requests.add(TestRequests.prompt("slow", "sleep:4000", 4, 1));
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        List<byte[][]> records = new ArrayList<>();
        for (InferenceRequest r : requests) {
            records.add(new byte[][] {r.getId().getBytes(StandardCharsets.UTF_8), codec.encode(r)});
        }
        records.add(new byte[][] {null, "not avro at all".getBytes(StandardCharsets.UTF_8)});
        KafkaJobTesting.produceRaw(KAFKA.kafka(), "prompts", records);

        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.setDelayMs(100);
            Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions",
                    "dead", null);
            conf.set(RemoteOptions.SERVING_BACKEND, ServingBackend.OPENAI);
            conf.set(RemoteOptions.ENDPOINT, server.endpoint());
            conf.set(RemoteOptions.MAX_IN_FLIGHT, MAX_IN_FLIGHT);
            conf.set(RemoteOptions.TIMEOUT, Duration.ofMillis(1500));
            conf.set(RemoteOptions.RETRY_BACKOFF, Duration.ofMillis(20));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(1);
            KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
            JobClient job = env.executeAsync("remote-backend-itcase");
            job.getJobExecutionResult().get();
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
            assertThat(server.maxConcurrent()).as("most requests open at the server at once")
                    .isBetween(1, MAX_IN_FLIGHT);
        }

        List<Completion> all = KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class);
        assertThat(all).hasSize(requests.size());
        Map<String, Completion> byId = KafkaJobTesting.byId(all, Completion::getRequestId);
        assertThat(byId).hasSize(requests.size());
        for (int i = 0; i < 12; i++) {
            Completion c = byId.get("ok-" + i);
            assertThat(c.getFinishReason()).as(c.getError()).isEqualTo(FinishReason.LENGTH);
            assertThat(c.getText()).isEqualTo("echo:prompt " + i);
            assertThat(c.getCompletionTokens()).isEqualTo(4);
            assertThat(c.getServedBySubtask()).isZero();
        }
        assertThat(byId.get("retried").getFinishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(byId.get("bad-1").getError()).contains("HTTP 400");
        assertThat(byId.get("bad-2").getError()).contains("HTTP 404");
        assertThat(byId.get("junk").getError()).contains("malformed response");
        assertThat(byId.get("slow").getError()).contains("within 1500 ms");
        for (String id : List.of("bad-1", "bad-2", "junk", "slow")) {
            assertThat(byId.get(id).getFinishReason()).as(id).isEqualTo(FinishReason.ERROR);
        }
        List<DeadLetter> dead = KafkaJobTesting.readCommitted(KAFKA.kafka(), "dead", DeadLetter.class);
        assertThat(dead).hasSize(1);
    }
}
