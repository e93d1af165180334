package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.testing.DirectEngine;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import io.prefixflow.runtime.engine.EngineResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 prompts through the whole job (in-process broker, MiniCluster, RocksDB, exactly-once sinks): exactly
 * 200 completions, each equal to the engine's direct output for the same request (text, and token ids via
 * the chunks of the streamed ones).
 */
class InferenceJobITCase {
    private static final int PROMPTS = 200;

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 2)
            .topic("completions", 2)
            .topic("chunks", 2)
            .topic("dead", 1);

    @Test
    @Timeout(120)
    void everyPromptGetsExactlyTheEnginesCompletion(@TempDir Path checkpoints) throws Exception {
        String[] openings = {"Once upon a time", "The little dog", "One day, a girl named Lily", "Tom had a red ball",
            "In the park, the sun"};
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPTS; i++) {
            InferenceRequest r = TestRequests.prompt("p" + i, openings[i % openings.length] + " number " + i, 16 + i % 9, i);
            r.setStream(i % 4 == 0);
            requests.add(r);
        }
        KafkaJobTesting.produce(KAFKA.kafka(), "prompts", requests);

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", "chunks");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        KafkaInferenceJob.addTo(env, KafkaJobSettings.from(conf), InferenceSettings.from(conf));
        env.execute("inference-itcase");

        Map<String, EngineResult> expected = DirectEngine.complete(InferenceSettings.from(conf), requests);
        List<Completion> completions = KafkaJobTesting.readCommitted(KAFKA.kafka(), "completions", Completion.class);
        assertThat(completions).hasSize(PROMPTS);
        Map<String, Completion> byId = KafkaJobTesting.byId(completions, Completion::getRequestId);
        assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        byId.forEach((id, c) -> {
            EngineResult e = expected.get(id);
            assertThat(c.getText()).as(id).isEqualTo(e.text());
            assertThat(c.getCompletionTokens()).as(id).isEqualTo(e.tokenIds().length);
            assertThat(c.getPromptTokens()).as(id).isEqualTo(e.usage().promptTokens());
            assertThat(c.getFinishReason().name()).as(id).isEqualTo(e.finishReason().name());
            assertThat(c.getServedBySubtask()).as(id).isBetween(0, 1);
        });

        Map<String, List<CompletionChunk>> chunks = KafkaJobTesting
                .readCommitted(KAFKA.kafka(), "chunks", CompletionChunk.class).stream()
                .collect(Collectors.groupingBy(CompletionChunk::getRequestId));
        assertThat(chunks.keySet()).containsExactlyInAnyOrderElementsOf(requests.stream()
                .filter(InferenceRequest::getStream).map(InferenceRequest::getId).toList());
        chunks.forEach((id, list) -> {
            list.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
            assertThat(list.stream().map(CompletionChunk::getIndex)).as(id)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, list.size()).boxed().toList());
            assertThat(list.get(list.size() - 1).getIsFinal()).as(id).isTrue();
            int[] tokens = list.stream().flatMap(c -> c.getTokenIds().stream()).mapToInt(Integer::intValue).toArray();
            assertThat(tokens).as(id).containsExactly(expected.get(id).tokenIds());
            assertThat(list.stream().map(CompletionChunk::getText).collect(Collectors.joining())).as(id)
                    .isEqualTo(expected.get(id).text());
        });
    }
}
