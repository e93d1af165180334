package io.prefixflow.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.kafka.CompletionSinkBuilder;
import io.prefixflow.connectors.kafka.PromptSourceBuilder;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.testing.DirectEngine;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import io.prefixflow.operator.testing.TestRequests;
import io.prefixflow.runtime.engine.EngineResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task fails mid-generation, after a checkpoint that holds requests in flight; the job restores from it.
 * A {@code read_committed} consumer then sees every completion (and every streamed chunk) exactly once, and
 * each equals the uninterrupted engine's.
 */
class RecoveryITCase {
    private static final int PROMPTS = 30;
    /** Set once the induced failure has been thrown; static because the MiniCluster runs in this JVM. */
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static final AtomicInteger CHECKPOINTS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK = KafkaJobTesting.miniCluster(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension()
            .topic("prompts", 2)
            .topic("completions", 2)
            .topic("chunks", 2)
            .topic("dead", 1);

    @Test
    @Timeout(150)
    void afterAFailureEveryCompletionIsCommittedOnceAndEqualsTheUninterruptedOne(@TempDir Path checkpoints)
            throws Exception {
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPTS; i++) {
            InferenceRequest r = TestRequests.prompt("r" + i, "Once upon a time, a boy named Tim number " + i, 100, 100 + i);
            r.setStream(i % 3 == 0);
            requests.add(r);
        }
        // half before the job starts, half once a checkpoint has completed: completions then certainly arrive
        // after a checkpoint, so the induced failure happens however fast this machine serves the first half
        KafkaJobTesting.produce(KAFKA.kafka(), "prompts", requests.subList(0, PROMPTS / 2));

        Configuration conf = KafkaJobTesting.jobConfig(KAFKA.kafka(), checkpoints, "prompts", "completions", "dead", "chunks");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        InferenceSettings settings = InferenceSettings.from(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        InferencePipeline.Outputs outputs = InferencePipeline.build(env.fromSource(new PromptSourceBuilder()
                        .setBootstrapServers(KAFKA.kafka().bootstrapServers())
                        .setTopics("prompts")
                        .setGroupId("recovery")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .build(), WatermarkStrategy.noWatermarks(), "prompts"), settings);
        outputs.completions()
                .map(new FailOnceAfterACheckpoint()).returns(new AvroTypeInfo<>(Completion.class))
                .sinkTo(CompletionSinkBuilder.forCompletions()
                        .setBootstrapServers(KAFKA.kafka().bootstrapServers())
                        .setTopic("completions")
                        .setTransactionalIdPrefix("recovery-completions")
                        .setTransactionTimeout(KAFKA.kafka().transactionMaxTimeout())
                        .build());
        outputs.chunks().sinkTo(CompletionSinkBuilder.forChunks()
                .setBootstrapServers(KAFKA.kafka().bootstrapServers())
                .setTopic("chunks")
                .setTransactionalIdPrefix("recovery-chunks")
                .setTransactionTimeout(KAFKA.kafka().transactionMaxTimeout())
                .build());
        JobClient job = env.executeAsync("recovery-itcase");
        List<Completion> completions;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (CHECKPOINTS.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(CHECKPOINTS.get()).as("a checkpoint completed within 60 s").isPositive();
            KafkaJobTesting.produce(KAFKA.kafka(), "prompts", requests.subList(PROMPTS / 2, PROMPTS));
            completions = KafkaJobTesting.awaitCommitted(KAFKA.kafka(), "completions", Completion.class, PROMPTS,
                    Duration.ofSeconds(2), Duration.ofSeconds(100), job);
        } finally {
            job.cancel().get();
        }

        assertThat(FAILED).as("the induced failure happened, so the job restored").isTrue();
        Map<String, EngineResult> expected = DirectEngine.complete(settings, requests);
        assertThat(completions).hasSize(PROMPTS);
        Map<String, Completion> byId = KafkaJobTesting.byId(completions, Completion::getRequestId);
        byId.forEach((id, c) -> {
            EngineResult e = expected.get(id);
            assertThat(c.getText()).as(id).isEqualTo(e.text());
            assertThat(c.getCompletionTokens()).as(id).isEqualTo(e.tokenIds().length);
            assertThat(c.getFinishReason().name()).as(id).isEqualTo(e.finishReason().name());
        });
        Map<String, List<CompletionChunk>> chunks = KafkaJobTesting
                .readCommitted(KAFKA.kafka(), "chunks", CompletionChunk.class).stream()
                .collect(Collectors.groupingBy(CompletionChunk::getRequestId));
        assertThat(chunks).hasSize(PROMPTS / 3);
        chunks.forEach((id, list) -> {
            list.sort(Comparator.comparingInt(CompletionChunk::getIndex));
            assertThat(list.stream().map(CompletionChunk::getIndex)).as(id)
                    .containsExactlyElementsOf(IntStream.range(0, list.size()).boxed().toList());
            int[] tokens = list.stream().flatMap(c -> c.getTokenIds().stream()).mapToInt(Integer::intValue).toArray();
            assertThat(tokens).as(id).containsExactly(expected.get(id).tokenIds());
        });
    }

    /** TEST ONLY: passes completions through, and throws once, after a checkpoint completed and a few passed. */
    private static final class FailOnceAfterACheckpoint extends RichMapFunction<Completion, Completion>
            implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        private int seen;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
            seen = 0;
        }

        @Override
        public Completion map(Completion completion) {
            seen++;
            if (CHECKPOINTS.get() > 0 && seen >= 2 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("induced failure (test)");
            }
            return completion;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }
}
