package io.prefixflow.operator.feedback;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one inference subtask's outstanding work every interval from a daemon thread of its own, so a slow or
 * absent broker never stalls the task thread; a failed send is logged once and retried at the next interval.
 * {@link #nudge} publishes sooner, {@value #NUDGE_DELAY_MS} ms after the subtask took new requests. A periodic
 * report that would say what the last one said (the same route sequence numbers, outstanding work within the
 * channel's {@code minChangeTokens}) is left out, except every {@value #KEEP_ALIVE_INTERVALS}th interval, so
 * readers still see the subtask alive (they ignore reports older than 20 intervals).
 *
 * <p>NOTE: why nudges. With reports only every interval, subtasks report at staggered moments; during a burst
 * one subtask's report already counts what the other prepare subtasks sent it while another's still says it is
 * idle, and every router sends the rest to the one that looks idle (measured on {@code bench --workload qa} at
 * parallelism 2: the last 12 of 64 requests to one subtask, 36/28). A report soon after new work arrives keeps
 * the subtasks' reports of the same age.
 *
 * <p>NOTE: why unchanged reports are left out. Each report is a produce and a fetch per prepare subtask on the
 * broker; on {@code bench --workload shared-prefix --num-groups 1} at parallelism 2 (2 vCPUs, broker in the same
 * JVM) reports every 100 ms took 3 to 5 % of the CPU the engines needed (per-thread CPU time during the run:
 * broker request handlers, producer and subscriber threads), and the cache-aware run was that much slower than
 * round-robin at the same placement.
 */
public final class LoadPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadPublisher.class);
    /** Only the latest report matters: a minute of them is more than any reader needs. */
    private static final String RETENTION_MS = "60000";

    private final KafkaLoadChannel channel;
    private final String jobId;
    private final int subtask;
    private final LongSupplier outstandingTokens;
    private final Supplier<long[]> receivedRouteSeqs;
    private final ScheduledExecutorService timer;
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile boolean failureLogged;
    private final AtomicBoolean nudged = new AtomicBoolean();
    /** How soon after a nudge the report goes out: requests taken meanwhile are in the same report. */
    static final long NUDGE_DELAY_MS = 5;
    /** An unchanged report is repeated every this many intervals. */
    static final int KEEP_ALIVE_INTERVALS = 5;

    // the last report sent; written only on the timer thread
    private long lastOutstandingTokens = -1;
    private long[] lastRouteSeqs = new long[0];
    private long lastSentMs = Long.MIN_VALUE;
    /** Set by the producer's callback when a send failed: the next report goes out even if unchanged. */
    private volatile boolean resend;

    LoadPublisher(KafkaLoadChannel channel, String jobId, int subtask, LongSupplier outstandingTokens,
                  Supplier<long[]> receivedRouteSeqs) {
        this.channel = channel;
        this.jobId = jobId;
        this.subtask = subtask;
        this.outstandingTokens = outstandingTokens;
        this.receivedRouteSeqs = receivedRouteSeqs;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, channel.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "prefixflow-load-" + subtask);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "prefixflow-load-publisher-" + subtask);
            thread.setDaemon(true);
            return thread;
        });
        timer.execute(this::createTopicIfMissing);
        timer.scheduleWithFixedDelay(() -> publish(false), channel.intervalMs(), channel.intervalMs(),
                TimeUnit.MILLISECONDS);
    }

    private void createTopicIfMissing() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, channel.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            NewTopic topic = new NewTopic(channel.topic(), Optional.of(1), Optional.empty())
                    .configs(Map.of("retention.ms", RETENTION_MS));
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.info("created load topic {}", channel.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("cannot create load topic {}: {}", channel.topic(), e.getCause().toString());
            }
        } catch (Exception e) {
            LOG.warn("cannot create load topic {}: {}", channel.topic(), e.toString());
        }
    }

    /**
     * Publishes a report soon (the subtask took new requests); nudges before it goes out are one report. Cheap
     * enough for the task thread: a flag, and a timer entry at most once per report.
     */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            try {
                timer.schedule(this::publishNudged, NUDGE_DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void publishNudged() {
        nudged.set(false);
        publish(true);
    }

    private void publish(boolean nudge) {
        try {
            // sequence numbers first: a request taken in between is then counted, never acknowledged unseen
            long[] seqs = receivedRouteSeqs.get();
            long tokens = outstandingTokens.getAsLong();
            long nowMs = System.currentTimeMillis();
            boolean unchanged = Math.abs(tokens - lastOutstandingTokens) < channel.minChangeTokens()
                    && Arrays.equals(seqs, lastRouteSeqs);
            if (!nudge && !resend && unchanged
                    && nowMs - lastSentMs < KEEP_ALIVE_INTERVALS * channel.intervalMs()) {
                return;
            }
            resend = false;
            LoadReport report = new LoadReport(jobId, subtask, tokens, nowMs, seqs);
            producer.send(new ProducerRecord<>(channel.topic(), null, report.encode()), (metadata, error) -> {
                if (error != null) {
                    resend = true;
                    if (!failureLogged) {
                        failureLogged = true;
                        LOG.warn("load report of subtask {} not sent (routing falls back to its own estimate): {}",
                                subtask, error.toString());
                    }
                }
            });
            lastOutstandingTokens = tokens;
            lastRouteSeqs = seqs;
            lastSentMs = nowMs;
        } catch (RuntimeException e) {
            resend = true;
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("load report of subtask {} not sent: {}", subtask, e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
