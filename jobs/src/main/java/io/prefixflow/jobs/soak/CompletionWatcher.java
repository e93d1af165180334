package io.prefixflow.jobs.soak;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.connectors.serde.MalformedRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the completions topic as a {@code read_committed} consumer from the beginning, on its own thread, and
 * tells the {@link LatencyTracker} when each request's completion was first seen. A completion becomes visible
 * only when the checkpoint that commits its transaction completes, so the latency includes up to one
 * checkpoint interval.
 */
final class CompletionWatcher implements Runnable {
    private final Properties base;
    private final String topic;
    private final LatencyTracker tracker;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;

    CompletionWatcher(Properties clientProperties, String topic, LatencyTracker tracker) {
        this.base = clientProperties;
        this.topic = topic;
        this.tracker = tracker;
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        AvroBinary<Completion> codec = AvroBinary.of(Completion.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long seen = System.nanoTime();
                    try {
                        tracker.completed(codec.decode(r.value()).getRequestId().toString(), seen);
                    } catch (MalformedRecordException e) {
                        throw new IllegalStateException("a record on " + topic + " at offset " + r.offset()
                                + " is not a Completion: " + e.getMessage(), e);
                    }
                }
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    void stop() {
        stopped = true;
    }

    /** Why reading stopped early, if it did. */
    Exception failure() {
        return failure.get();
    }
}
