package io.prefixflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.embedded.EmbeddedKafka;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.connectors.serde.MalformedRecordException;
import io.prefixflow.connectors.serde.RequestOrDeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real in-process broker and a Flink MiniCluster: prompts topic → decode or
 * dead-letter → a stand-in for the engine → exactly-once completions topic; dead letters to
 * their own topic. Good and malformed records are interleaved; a {@code read_committed}
 * consumer must see every completion once and every dead letter once, with its origin.
 */
class PassthroughPipelineITCase {
    private static final String PROMPTS = "prompts";
    private static final String COMPLETIONS = "completions";
    private static final String DEAD_LETTERS = "dead-letters";
    private static final int GOOD = 50;
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .setConfiguration(loopbackOnly(new Configuration()))
            .build());

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(PROMPTS, 2);
        kafka.createTopic(COMPLETIONS, 2);
        kafka.createTopic(DEAD_LETTERS, 1);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(120)
    void everyGoodPromptCompletesOnceAndEveryBadRecordIsDeadLettered(@TempDir Path checkpoints) throws Exception {
        Map<String, String> goodPrompts = new HashMap<>();
        Map<String, byte[]> badRecords = produceInput(goodPrompts);

        JobExecutionResult result = buildJob(checkpoints).execute("passthrough");

        // restart-strategy none: any failure would have failed the job instead of restarting it.
        assertThat(result.getJobExecutionResult()).isNotNull();

        List<ConsumerRecord<byte[], byte[]>> completionRecords = readCommitted(COMPLETIONS);
        AvroBinary<Completion> completions = AvroBinary.of(Completion.class);
        List<Completion> done = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : completionRecords) {
            Completion c = completions.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(c.getRequestId());
            done.add(c);
        }
        assertThat(done).hasSize(GOOD);
        assertThat(done.stream().map(Completion::getRequestId)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(goodPrompts.keySet());
        for (Completion c : done) {
            assertThat(c.getText()).isEqualTo(reverse(goodPrompts.get(c.getRequestId())));
            assertThat(c.getFinishReason()).isEqualTo(FinishReason.STOP);
            assertThat(c.getServedBySubtask()).isBetween(0, PARALLELISM - 1);
        }

        AvroBinary<DeadLetter> deadLetters = AvroBinary.of(DeadLetter.class);
        List<DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(DEAD_LETTERS)) {
            dead.add(deadLetters.decode(record.value()));
        }
        assertThat(dead).hasSize(badRecords.size());
        Map<String, DeadLetter> byOrigin = dead.stream().collect(Collectors.toMap(
                d -> origin(d.getTopic(), d.getPartition(), d.getOffset()), Function.identity()));
        assertThat(byOrigin.keySet()).containsExactlyInAnyOrderElementsOf(badRecords.keySet());
        byOrigin.forEach((origin, d) -> {
            assertThat(bytes(d.getPayload())).as(origin).isEqualTo(badRecords.get(origin));
            assertThat(d.getReason()).as(origin).isNotBlank();
            if (d.getRequestId() != null) {
                assertThat(d.getReason()).as(origin).startsWith("invalid request: ");
            } else {
                assertThat(d.getReason()).as(origin).startsWith("not an InferenceRequest in Avro binary: ");
            }
        });
        assertThat(dead.stream().filter(d -> d.getRequestId() != null)).hasSize(6);
    }

    /** Sends the good and bad records interleaved; returns the bad ones by "topic/partition/offset". */
    private static Map<String, byte[]> produceInput(Map<String, String> goodPrompts) throws Exception {
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        Random random = new Random(11);
        List<byte[]> bad = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] garbage = new byte[5 + random.nextInt(40)];
            random.nextBytes(garbage);
            bad.add(garbage);
        }
        for (int i = 0; i < 7; i++) {
            byte[] full = codec.encode(Requests.prompt("truncated-" + i, "a prompt that will be cut short " + i));
            bad.add(Arrays.copyOf(full, full.length / 2 + i));
        }
        List<InferenceRequest> invalid = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            invalid.add(Requests.prompt("invalid-" + i, "fine prompt, bad parameters"));
        }
        invalid.get(0).setMaxTokens(-1);
        invalid.get(1).setTemperature(-0.5f);
        invalid.get(2).setTopP(0f);
        invalid.get(3).setTopP(1.5f);
        invalid.get(4).setTopK(-3);
        invalid.get(5).setPrompt(null);
        invalid.forEach(r -> bad.add(codec.encode(r)));

        Map<String, byte[]> badByOrigin = new HashMap<>();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (var producer = new KafkaProducer<byte[], byte[]>(props)) {
            int nextBad = 0;
            for (int i = 0; i < GOOD; i++) {
                String id = "req-" + i;
                String prompt = "prompt number " + i + " about prefixes";
                goodPrompts.put(id, prompt);
                producer.send(new ProducerRecord<>(PROMPTS, id.getBytes(StandardCharsets.UTF_8),
                        codec.encode(Requests.prompt(id, prompt)))).get();
                if (i % 5 == 2 || i % 5 == 4) {
                    byte[] value = bad.get(nextBad++);
                    RecordMetadata meta = producer.send(new ProducerRecord<>(PROMPTS, null, value)).get();
                    badByOrigin.put(origin(meta.topic(), meta.partition(), meta.offset()), value);
                }
            }
        }
        assertThat(badByOrigin).hasSize(20);
        return badByOrigin;
    }

    private static StreamExecutionEnvironment buildJob(Path checkpoints) {
        Configuration job = new Configuration();
        job.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        job.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        job.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        job.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        job.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        job.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job);
        env.setParallelism(PARALLELISM);

        DataStream<RequestOrDeadLetter> input = env.fromSource(new PromptSourceBuilder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(PROMPTS)
                        .setGroupId("passthrough-itcase")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .build(),
                WatermarkStrategy.noWatermarks(), "prompts");
        SingleOutputStreamOperator<InferenceRequest> requests = input.process(new DeadLetterSplitter()).name("split");
        requests.keyBy(InferenceRequest::getId)
                .map(new ReversingEngineStandIn())
                .returns(new AvroTypeInfo<>(Completion.class))
                .name("engine stand-in")
                .sinkTo(CompletionSinkBuilder.forCompletions()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopic(COMPLETIONS)
                        .setTransactionalIdPrefix("itcase-completions")
                        .setTransactionTimeout(kafka.transactionMaxTimeout())
                        .build());
        requests.getSideOutput(DeadLetterSplitter.DEAD_LETTERS)
                .sinkTo(CompletionSinkBuilder.forDeadLetters()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopic(DEAD_LETTERS)
                        .setTransactionalIdPrefix("itcase-dead-letters")
                        .build());
        return env;
    }

    /** TEST ONLY: a stand-in for the inference engine that "completes" a prompt by reversing it. */
    private static final class ReversingEngineStandIn extends RichMapFunction<InferenceRequest, Completion> {
        private static final long serialVersionUID = 1L;
        private int subtask;

        @Override
        public void open(OpenContext openContext) {
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        }

        @Override
        public Completion map(InferenceRequest request) {
            String text = reverse(request.getPrompt());
            return Completion.newBuilder()
                    .setRequestId(request.getId())
                    .setTenant(request.getTenant())
                    .setText(text)
                    .setPromptTokens(request.getPrompt().length())
                    .setCompletionTokens(text.length())
                    .setFinishReason(FinishReason.STOP)
                    .setServedBySubtask(subtask)
                    .build();
        }
    }

    /** Everything a {@code read_committed} consumer sees in the topic now. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) throws MalformedRecordException {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Configuration loopbackOnly(Configuration config) {
        config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(TaskManagerOptions.HOST, "127.0.0.1");
        config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return config;
    }

    private static String origin(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
