package io.prefixflow.jobs.cli;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.serde.AvroBinary;
import io.prefixflow.jobs.bench.BenchRequest;
import io.prefixflow.jobs.bench.RequestSample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One measured run of {@code bench} against Kafka: a sender thread produces the prompts at their arrival
 * times, this thread reads completions and chunks and times them, with a progress bar, until every prompt
 * has its completion, the job ends, or the time-out passes (an {@link IllegalStateException} naming
 * {@code --timeout}).
 *
 * <p>NOTE: it reads {@code read_uncommitted}: records of the exactly-once sinks become visible when they are
 * written, not at the next checkpoint, so client-side times are not rounded up to the checkpoint interval.
 * A completion read twice (after a restart) counts once, at its first arrival.
 */
final class BenchRun {
    /** Checks the job still runs; throws when it ended. */
    interface Liveness {
        void check() throws Exception;
    }

    /**
     * What the run read.
     *
     * @param samples   one per request, in no particular order
     * @param durationS first prompt sent to last completion read
     */
    record Result(List<RequestSample> samples, double durationS) {
    }

    private BenchRun() {
    }

    /**
     * @param clientProperties Kafka client properties (bootstrap servers, ...)
     * @param topics           where prompts go and completions and chunks come from
     * @param requests         the prompts, sent with {@code stream = true} so chunks give inter-token times
     * @param arrivalsMs       send time of each prompt after the start
     * @param timeout          the most the run may take
     * @param liveness         checked between polls
     * @param taskName         label of the progress bar
     */
    static Result execute(Properties clientProperties, LocalStack.Topics topics, List<BenchRequest> requests,
                          double[] arrivalsMs, Duration timeout, Liveness liveness, String taskName) throws Exception {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        AvroBinary<Completion> completions = AvroBinary.of(Completion.class);
        AvroBinary<CompletionChunk> chunks = AvroBinary.of(CompletionChunk.class);
        Map<String, Long> sentAtNanos = new ConcurrentHashMap<>();
        Map<String, List<Long>> chunkNanos = new HashMap<>();
        List<RequestSample> samples = new ArrayList<>();
        Map<String, Boolean> done = new HashMap<>();
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.completions(), topics.chunks())) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long startNanos = System.nanoTime();
            long deadlineNanos = startNanos + timeout.toNanos();
            Thread sender = startSender(clientProperties, topics.prompts(), requests, arrivalsMs, startNanos,
                    sentAtNanos, sendFailure);
            long lastNanos = startNanos;
            try (ProgressBar bar = progressBar(taskName, requests.size())) {
                while (done.size() < requests.size()) {
                    if (System.nanoTime() > deadlineNanos) {
                        throw new IllegalStateException(taskName + ": only " + done.size() + " of " + requests.size()
                                + " completions arrived within --timeout " + timeout.toSeconds() + " s");
                    }
                    if (sendFailure.get() != null) {
                        throw new IllegalStateException(taskName + ": sending prompts failed: "
                                + LocalStack.rootMessage(sendFailure.get()), sendFailure.get());
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        if (record.topic().equals(topics.chunks())) {
                            CompletionChunk c = chunks.decode(record.value());
                            chunkNanos.computeIfAbsent(c.getRequestId(), k -> new ArrayList<>()).add(now);
                            continue;
                        }
                        Completion c = completions.decode(record.value());
                        Long sent = sentAtNanos.get(c.getRequestId());
                        if (sent == null || done.putIfAbsent(c.getRequestId(), true) != null) {
                            continue;
                        }
                        samples.add(sample(c, (now - sent) / 1e6, chunkNanos.getOrDefault(c.getRequestId(), List.of())));
                        lastNanos = now;
                        bar.step();
                    }
                    liveness.check();
                }
            } finally {
                sender.interrupt();
                sender.join(TimeUnit.SECONDS.toMillis(5));
            }
            return new Result(samples, Math.max(1e-9, (lastNanos - startNanos) / 1e9));
        }
    }

    private static RequestSample sample(Completion c, double e2eMs, List<Long> chunkArrivals) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < chunkArrivals.size(); i++) {
            gaps.add((chunkArrivals.get(i) - chunkArrivals.get(i - 1)) / 1e6);
        }
        return new RequestSample(c.getPromptTokens(), c.getCachedPromptTokens(), c.getCompletionTokens(),
                c.getTtftMs() == null ? -1 : c.getTtftMs(), c.getTotalMs(), e2eMs, gaps,
                c.getFinishReason() == FinishReason.ERROR, c.getServedBySubtask());
    }

    private static Thread startSender(Properties clientProperties, String topic, List<BenchRequest> requests,
                                      double[] arrivalsMs, long startNanos, Map<String, Long> sentAtNanos,
                                      AtomicReference<Throwable> failure) {
        Thread sender = new Thread(() -> {
            AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);
            try (KafkaProducer<byte[], byte[]> producer =
                         new KafkaProducer<>(LocalStack.byteProducerProperties(clientProperties))) {
                for (int i = 0; i < requests.size(); i++) {
                    long waitNanos = startNanos + (long) (arrivalsMs[i] * 1e6) - System.nanoTime();
                    if (waitNanos > 0) {
                        TimeUnit.NANOSECONDS.sleep(waitNanos);
                    }
                    BenchRequest r = requests.get(i);
                    sentAtNanos.put(r.id(), System.nanoTime());
                    // Paced sends cannot wait for each acknowledgement; the first failure ends the run.
                    producer.send(new ProducerRecord<>(topic, r.id().getBytes(StandardCharsets.UTF_8),
                            codec.encode(toAvro(r))), (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    if (i + 1 < requests.size() && arrivalsMs[i + 1] > arrivalsMs[i]) {
                        producer.flush();
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "bench-sender");
        sender.setDaemon(true);
        sender.start();
        return sender;
    }

    /** Greedy, streamed, as a throughput-class request; the id is the Kafka key. */
    static InferenceRequest toAvro(BenchRequest r) {
        return InferenceRequest.newBuilder()
                .setId(r.id())
                .setTenant("bench")
                .setPrompt(r.prompt())
                .setCacheKey(r.cacheKey())
                .setMaxTokens(r.maxTokens())
                .setTemperature(0f)
                .setStream(true)
                .setCreatedAt(Instant.now())
                .build();
    }

    static ProgressBar progressBar(String taskName, int max) {
        return new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }
}
