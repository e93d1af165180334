package io.prefixflow.operator.testing;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.embedded.EmbeddedKafka;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.connectors.serde.MalformedRecordException;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A loopback MiniCluster, the job's configuration for tests, and producing / reading topics. */
public final class KafkaJobTesting {
    private KafkaJobTesting() {
    }

    /** A MiniCluster with {@code slots} slots, bound to 127.0.0.1 only. */
    public static MiniClusterExtension miniCluster(int slots) {
        Configuration config = new Configuration();
        config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(TaskManagerOptions.HOST, "127.0.0.1");
        config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .setConfiguration(config)
                .build());
    }

    /**
     * The job's configuration: the shared stories260K settings, RocksDB, a checkpoint every 500 ms into
     * {@code checkpoints}, a bounded source over {@code input}, restart strategy none.
     */
    public static Configuration jobConfig(EmbeddedKafka kafka, Path checkpoints, String input, String output,
                                          String deadLetters, String chunks) {
        Configuration conf = KafkaInferenceJob.defaults();
        conf.addAll(TestSettings.storiesConfig());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaJobOptions.INPUT_TOPIC, input);
        conf.set(KafkaJobOptions.OUTPUT_TOPIC, output);
        conf.set(KafkaJobOptions.DEAD_LETTER_TOPIC, deadLetters);
        if (chunks != null) {
            conf.set(KafkaJobOptions.CHUNK_TOPIC, chunks);
        }
        conf.set(KafkaJobOptions.BOUNDED, true);
        conf.set(KafkaJobOptions.TRANSACTION_TIMEOUT, kafka.transactionMaxTimeout());
        return conf;
    }

    /** Sends requests keyed by id; returns nothing, waits for every ack. */
    public static void produce(EmbeddedKafka kafka, String topic, List<InferenceRequest> requests) throws Exception {
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        List<byte[][]> records = new ArrayList<>();
        for (InferenceRequest r : requests) {
            records.add(new byte[][] {r.getId().getBytes(StandardCharsets.UTF_8), codec.encode(r)});
        }
        produceRaw(kafka, topic, records);
    }

    /** Sends raw key/value pairs in order; returns each record's "topic/partition/offset". */
    public static List<String> produceRaw(EmbeddedKafka kafka, String topic, List<byte[][]> keyValues) throws Exception {
        return produceRaw(kafka, topic, keyValues, Map.of());
    }

    /** {@link #produceRaw(EmbeddedKafka, String, List)} with producer settings, e.g. {@code max.request.size}. */
    public static List<String> produceRaw(EmbeddedKafka kafka, String topic, List<byte[][]> keyValues,
                                          Map<String, String> producerProperties) throws Exception {
        Properties props = kafka.clientProperties();
        props.putAll(producerProperties);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        try (var producer = new KafkaProducer<byte[], byte[]>(props)) {
            for (byte[][] kv : keyValues) {
                sent.add(producer.send(new ProducerRecord<>(topic, kv[0], kv[1])));
            }
            producer.flush();
            List<String> origins = new ArrayList<>();
            for (var f : sent) {
                RecordMetadata m = f.get();
                origins.add(m.topic() + "/" + m.partition() + "/" + m.offset());
            }
            return origins;
        }
    }

    /** The values of every record in {@code topic} now (read_uncommitted), raw. */
    public static List<byte[]> readValues(EmbeddedKafka kafka, String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<byte[]> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    out.add(record.value());
                }
            }
        }
        return out;
    }

    /** Everything a {@code read_committed} consumer sees in {@code topic} now, decoded. */
    public static <T extends SpecificRecord> List<T> readCommitted(EmbeddedKafka kafka, String topic, Class<T> type)
            throws MalformedRecordException {
        AvroBinary<T> codec = AvroBinary.of(type);
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<T> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    out.add(codec.decode(record.value()));
                }
            }
        }
        return out;
    }

    /**
     * Reads {@code topic} as a {@code read_committed} consumer until it has seen {@code count} records, then
     * {@code settle} longer (so duplicates would show); fails early if the job fails, and after {@code timeout}.
     */
    public static <T extends SpecificRecord> List<T> awaitCommitted(EmbeddedKafka kafka, String topic, Class<T> type,
            int count, Duration settle, Duration timeout, org.apache.flink.core.execution.JobClient job)
            throws Exception {
        AvroBinary<T> codec = AvroBinary.of(type);
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<T> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settledAt = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settledAt)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    out.add(codec.decode(record.value()));
                }
                if (out.size() >= count && settledAt == Long.MAX_VALUE) {
                    settledAt = System.nanoTime() + settle.toNanos();
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new AssertionError("the job ended (" + job.getJobStatus().get() + ") with " + out.size()
                            + " of " + count + " records in " + topic);
                }
            }
        }
        return out;
    }

    /** Groups by a key, failing on duplicates. */
    public static <T> Map<String, T> byId(List<T> records, Function<T, String> id) {
        Map<String, T> map = new java.util.HashMap<>();
        for (T r : records) {
            if (map.put(id.apply(r), r) != null) {
                throw new AssertionError("duplicate record for " + id.apply(r));
            }
        }
        return map;
    }
}
