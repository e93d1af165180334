package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * PREFIX routing at parallelism 2: questions over one shared document are served by one subtask and find the document in
 * its prefix cache; different documents spread over both subtasks; a cache_key routes unrelated prompts
 * together.
 */
class PrefixRoutingITCase {
    private static final String[] SUBJECTS = {"a little dog named Max", "a girl named Lily and her red kite",
        "a big green frog in a pond", "a boy who found a shiny stone", "two friends who built a sand castle",
        "a cat that wanted to fly", "an old tree in the park", "a bird with a blue hat"};
    private static final int QUESTIONS = 4;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 2)
            .topic("completions", 2)
            .topic("dead", 1);

    @Test
    @Timeout(120)
    void sharedPrefixesMeetOnOneSubtaskAndHitItsCache(@TempDir Path checkpoints) throws Exception {
        List<InferenceRequest> requests = new ArrayList<>();
        for (int d = 0; d < SUBJECTS.length; d++) {
            String document = "Once upon a time there was " + SUBJECTS[d] + ". Every day they played in the sun"
                    + " and were very happy together, until one day something surprising happened. ";
            for (int q = 0; q < QUESTIONS; q++) {
                requests.add(TestRequests.prompt("doc" + d + "-q" + q, document + "Question " + q + ": what next?",
                        8, q));
            }
        }
        for (int i = 0; i < 3; i++) {
            InferenceRequest keyed = TestRequests.prompt("keyed-" + i, "Unrelated prompt " + i * 7919, 8, i);
            keyed.setCacheKey("conversation-42");
            requests.add(keyed);
        }
        KafkaJobTesting.produce(KAFKA.kafka(), "prompts", requests);

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", null);
        conf.set(InferenceOptions.ROUTING_MODE, RoutingMode.PREFIX);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        env.execute("prefix-routing-itcase");

        Map<String, Completion> byId = KafkaJobTesting.byId(
                KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class), Completion::getRequestId);
        assertThat(byId).hasSize(requests.size());
        Set<Integer> documentSubtasks = new HashSet<>();
        for (int d = 0; d < SUBJECTS.length; d++) {
            Set<Integer> subtasks = new HashSet<>();
            int cachedHits = 0;
            for (int q = 0; q < QUESTIONS; q++) {
                Completion c = byId.get("doc" + d + "-q" + q);
                subtasks.add(c.getServedBySubtask());
                if (c.getCachedPromptTokens() >= 32) {
                    cachedHits++;
                }
            }
            assertThat(subtasks).as("document %d is served by one subtask", d).hasSize(1);
            assertThat(cachedHits).as("questions on document %d that found it cached", d)
                    .isGreaterThanOrEqualTo(QUESTIONS - 1);
            documentSubtasks.addAll(subtasks);
        }
        assertThat(documentSubtasks).as("documents spread over both subtasks").containsExactlyInAnyOrder(0, 1);
        Set<Integer> keyed = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            keyed.add(byId.get("keyed-" + i).getServedBySubtask());
        }
        assertThat(keyed).as("one cache_key, one subtask").hasSize(1);
    }
}
