package io.prefixflow.jobs.chaos;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends requests to a prompts topic as Avro, keyed by id, at once or as a steady stream. */
public final class PromptProducer {
    private PromptProducer() {
    }

    /** Sends {@code requests} evenly over {@code spread} (at once when zero), keyed by id; waits for every ack. */
    public static void send(Properties base, String topic, List<InferenceRequest> requests, Duration spread)
            throws Exception {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            long startNanos = System.nanoTime();
            for (int i = 0; i < requests.size(); i++) {
                long dueNanos = startNanos + spread.toNanos() * i / requests.size();
                long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
                if (waitMs > 0) {
                    Thread.sleep(waitMs);
                }
                InferenceRequest r = requests.get(i);
                byte[] key = r.getId().toString().getBytes(StandardCharsets.UTF_8);
                sent.add(producer.send(new ProducerRecord<>(topic, key, codec.encode(r))));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }
    }

}
