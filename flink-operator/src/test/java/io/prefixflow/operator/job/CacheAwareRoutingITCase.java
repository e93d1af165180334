package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.feedback.LoadReport;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * CACHE_AWARE routing (the default) at parallelism 2, on the traffic PREFIX routing fails: every request starts
 * with one long system prompt. The hot prefix is replicated on both subtasks, each serves a fair share, and
 * almost every request finds the system prompt in its subtask's prefix cache; requests with one cache_key still
 * meet on one subtask.
 */
class CacheAwareRoutingITCase {
    private static final int REQUESTS = 40;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 2)
            .topic("completions", 2)
            .topic("dead", 1);

    @Test
    @Timeout(120)
    void aHotSystemPromptIsReplicatedAndStaysCached(@TempDir Path checkpoints) throws Exception {
        String system = "You are a kind storyteller. Once upon a time there was a little town with a big park,"
                + " where children played every day and a friendly dog named Max ran after the ball. The sun was"
                + " warm and the birds sang in the trees. ";
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(TestRequests.prompt("q" + i, system + "Question " + i + ": what happened next?", 8, i));
        }
        for (int i = 0; i < 3; i++) {
            InferenceRequest keyed = TestRequests.prompt("keyed-" + i, "Unrelated prompt " + i * 7919, 8, i);
            keyed.setCacheKey("conversation-42");
            requests.add(keyed);
        }
        KafkaJobTesting.produce(KAFKA.kafka(), "prompts", requests);

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", null);
        // a small absolute threshold: 43 short requests are a small burst
        conf.set(InferenceOptions.ROUTING_BALANCE_ABS, 128);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        env.execute("cache-aware-routing-itcase");

        Map<String, Completion> byId = KafkaJobTesting.byId(
                KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class), Completion::getRequestId);
        assertThat(byId).hasSize(requests.size());
        Map<Integer, Integer> perSubtask = new HashMap<>();
        int cached = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Completion c = byId.get("q" + i);
            perSubtask.merge(c.getServedBySubtask(), 1, Integer::sum);
            if (c.getCachedPromptTokens() >= 32) {
                cached++;
            }
        }
        assertThat(perSubtask.keySet()).as("the hot prefix is served by both subtasks").containsExactlyInAnyOrder(0, 1);
        assertThat(perSubtask.values()).as("shares of %s", perSubtask).allMatch(n -> n >= REQUESTS / 4);
        assertThat(cached).as("requests that found the system prompt cached").isGreaterThanOrEqualTo(REQUESTS - 6);
        Set<Integer> keyed = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            keyed.add(byId.get("keyed-" + i).getServedBySubtask());
        }
        assertThat(keyed).as("one cache_key, one subtask").hasSize(1);
        Set<Integer> reporting = new HashSet<>();
        for (byte[] value : KafkaJobTesting.readValues(KAFKA.kafka(), "prompts.load")) {
            LoadReport report = LoadReport.decode(value);
            assertThat(report.outstandingTokens()).isBetween(0L, 100_000L);
            reporting.add(report.subtask());
        }
        assertThat(reporting).as("inference subtasks that published load reports").containsExactlyInAnyOrder(0, 1);
    }
}
