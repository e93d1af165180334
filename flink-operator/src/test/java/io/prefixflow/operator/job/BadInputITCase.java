package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * 100 malformed records among 100 good ones, plus requests only the model can refuse: every good request
 * completes, every malformed record is in the dead-letter topic with its origin and reason, a too-long prompt
 * and a chat request for a model without a chat template get error completions, and the job (restart strategy
 * none) finishes without ever failing.
 */
class BadInputITCase {
    private static final int GOOD = 100;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 2)
            .topic("completions", 2)
            .topic("dead", 1);

    @Test
    @Timeout(120)
    void badInputIsDeadLetteredOrAnsweredAndTheJobNeverFails(@TempDir Path checkpoints) throws Exception {
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        List<byte[]> malformed = malformedValues(codec);
        assertThat(malformed).hasSize(100);
        List<byte[][]> records = new ArrayList<>();
        List<Boolean> isBad = new ArrayList<>();
        int nextBad = 0;
        for (int i = 0; i < GOOD; i++) {
            InferenceRequest r = TestRequests.prompt("good-" + i, "The cat number " + i + " sat", 12, i);
            records.add(new byte[][] {r.getId().getBytes(StandardCharsets.UTF_8), codec.encode(r)});
            isBad.add(false);
            records.add(new byte[][] {null, malformed.get(nextBad++)});
            isBad.add(true);
        }
        InferenceRequest tooLong = TestRequests.prompt("too-long", "a story about a cat. ".repeat(200), 10, 1);
        InferenceRequest chat = TestRequests.prompt("chat", null, 10, 1);
        chat.setPrompt(null);
        chat.setMessages(List.of(new ChatMessage("user", "Hello")));
        for (InferenceRequest r : List.of(tooLong, chat)) {
            records.add(new byte[][] {r.getId().getBytes(StandardCharsets.UTF_8), codec.encode(r)});
            isBad.add(false);
        }
        List<String> origins = KafkaJobTesting.produceRaw(KAFKA.kafka(), "prompts", records);
        Map<String, byte[]> badByOrigin = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (isBad.get(i)) {
                badByOrigin.put(origins.get(i), records.get(i)[1]);
            }
        }

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", null);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        JobClient job = env.executeAsync("bad-input-itcase");
        job.getJobExecutionResult().get();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

        Map<String, Completion> completions = KafkaJobTesting.byId(
                KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class), Completion::getRequestId);
        assertThat(completions).hasSize(GOOD + 2);
        for (int i = 0; i < GOOD; i++) {
            Completion c = completions.get("good-" + i);
            assertThat(c.getFinishReason()).as(c.getRequestId()).isIn(FinishReason.STOP, FinishReason.LENGTH);
            assertThat(c.getCompletionTokens()).isPositive();
        }
        Completion longOne = completions.get("too-long");
        assertThat(longOne.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(longOne.getError()).contains("context holds 512");
        Completion chatOne = completions.get("chat");
        assertThat(chatOne.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(chatOne.getError()).contains("has no chat template");

        List<DeadLetter> dead = KafkaJobTesting.readCommitted(KAFKA.kafka(), "dead", DeadLetter.class);
        assertThat(dead).hasSize(100);
        for (DeadLetter d : dead) {
            String origin = d.getTopic() + "/" + d.getPartition() + "/" + d.getOffset();
            assertThat(badByOrigin).as(origin).containsKey(origin);
            ByteBuffer payload = d.getPayload().duplicate();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            assertThat(bytes).as(origin).isEqualTo(badByOrigin.remove(origin));
            assertThat(d.getReason()).as(origin).isNotBlank();
        }
        assertThat(badByOrigin).as("every bad record dead-lettered once").isEmpty();
    }

    /** 40 random byte strings, 30 truncated requests, 30 requests with an invalid field. */
    private static List<byte[]> malformedValues(AvroBinary<InferenceRequest> codec) {
        Random random = new Random(5);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] garbage = new byte[3 + random.nextInt(60)];
            random.nextBytes(garbage);
            values.add(garbage);
        }
        for (int i = 0; i < 30; i++) {
            byte[] full = codec.encode(TestRequests.prompt("cut-" + i, "a prompt cut short " + i, 10, i));
            values.add(Arrays.copyOf(full, full.length / 2));
        }
        for (int i = 0; i < 30; i++) {
            InferenceRequest r = TestRequests.prompt("invalid-" + i, "fine prompt, bad parameters", 10, i);
            switch (i % 6) {
                case 0 -> r.setMaxTokens(0);
                case 1 -> r.setTemperature(-1f);
                case 2 -> r.setTopP(1.5f);
                case 3 -> r.setTopK(-2);
                case 4 -> r.setPrompt(null);
                default -> r.setTenant(" ");
            }
            values.add(codec.encode(r));
        }
        return values;
    }
}
