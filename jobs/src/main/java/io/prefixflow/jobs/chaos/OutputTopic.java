package io.prefixflow.jobs.chaos;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.serde.AvroBinary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a completions topic: whether every transaction on it has settled, and
 * everything a {@code read_committed} consumer sees.
 */
public final class OutputTopic {
    private final Properties base;
    private final String topic;

    public OutputTopic(Properties clientProperties, String topic) {
        this.base = clientProperties;
        this.topic = topic;
    }

    /**
     * Waits until no transaction is open on the topic: every partition's read_committed end offset (the last
     * stable offset) equals its high watermark, twice in a row one second apart, as Kafka's own exactly-once
     * test driver waits.
     *
     * @return whether it settled within {@code timeout}
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int stableRounds = 0;
        try (KafkaConsumer<byte[], byte[]> committed = consumer("read_committed");
             KafkaConsumer<byte[], byte[]> uncommitted = consumer("read_uncommitted")) {
            List<TopicPartition> partitions = partitions(committed);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
                Map<TopicPartition, Long> high = uncommitted.endOffsets(partitions);
                stableRounds = stable.equals(high) ? stableRounds + 1 : 0;
                if (stableRounds >= 2) {
                    return true;
                }
                Thread.sleep(1000);
            }
        }
        return false;
    }

    /** Distinct request ids a read_committed consumer sees now. */
    public int committedDistinct() {
        return readCommitted().stream().map(DeliveryCheck.Output::requestId).distinct().toList().size();
    }

    /** Every completion a read_committed consumer sees, from the start to the current end offsets. */
    public List<DeliveryCheck.Output> readCommitted() {
        AvroBinary<Completion> codec = AvroBinary.of(Completion.class);
        List<DeliveryCheck.Output> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer("read_committed")) {
            List<TopicPartition> partitions = partitions(c);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions));
            end.values().removeIf(v -> v == 0);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!end.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    Completion completion;
                    try {
                        completion = codec.decode(r.value());
                    } catch (io.prefixflow.connectors.serde.MalformedRecordException e) {
                        throw new IllegalStateException("a record on " + topic + " at offset " + r.offset()
                                + " is not a Completion: " + e.getMessage(), e);
                    }
                    out.add(new DeliveryCheck.Output(completion.getRequestId(), completion.getText()));
                }
                end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
            }
        }
        return out;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return new KafkaConsumer<>(props);
    }
}
