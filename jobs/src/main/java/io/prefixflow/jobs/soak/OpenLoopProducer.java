package io.prefixflow.jobs.soak;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends request {@code i} at {@code start + i / rate}, whatever the backlog (open loop), for a fixed time, on its
 * own thread; records each send time in the {@link LatencyTracker}.
 */
final class OpenLoopProducer implements Runnable {
    private final Properties base;
    private final String topic;
    private final double ratePerSecond;
    private final Duration duration;
    private final LatencyTracker tracker;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;

    OpenLoopProducer(Properties clientProperties, String topic, double ratePerSecond, Duration duration,
                     LatencyTracker tracker) {
        this.base = clientProperties;
        this.topic = topic;
        this.ratePerSecond = ratePerSecond;
        this.duration = duration;
        this.tracker = tracker;
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long startNanos = System.nanoTime();
            long endNanos = startNanos + duration.toNanos();
            for (long i = 0; !stopped; i++) {
                long dueNanos = startNanos + (long) (i * 1e9 / ratePerSecond);
                if (dueNanos >= endNanos) {
                    break;
                }
                long waitNanos = dueNanos - System.nanoTime();
                if (waitNanos > 0) {
                    Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                }
                InferenceRequest r = SoakRequests.request(i);
                String id = r.getId().toString();
                tracker.sent(id, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), codec.encode(r)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Ends production early (the job failed). */
    void stop() {
        stopped = true;
    }

    /** The first send that failed, if any. */
    Exception failure() {
        return failure.get();
    }
}
