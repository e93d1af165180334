package io.prefixflow.operator.feedback;

import io.prefixflow.operator.routing.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads load reports on a daemon thread of its own (no consumer group: every prepare subtask reads every report,
 * from the end of the topic on) and keeps the latest of each inference subtask of its job; the task thread hands
 * the new ones to its {@link Router} with {@link #drainTo}. Records that are not load reports, or belong to
 * another job or to a subtask beyond the parallelism, are counted and skipped.
 */
public final class LoadSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadSubscriber.class);

    /** Longest wait between looks for the topic (the first publisher creates it). */
    private static final long TOPIC_POLL_MS = 500;

    private final KafkaLoadChannel channel;
    private final String jobId;
    private final int routerIndex;
    private final AtomicReferenceArray<LoadReport> latest;
    private final LoadReport[] applied;
    private final AtomicLong numReports = new AtomicLong();
    private final AtomicLong numSkipped = new AtomicLong();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean closed;

    LoadSubscriber(KafkaLoadChannel channel, String jobId, int numSubtasks, int routerIndex) {
        this.channel = channel;
        this.jobId = jobId;
        this.routerIndex = routerIndex;
        this.latest = new AtomicReferenceArray<>(numSubtasks);
        this.applied = new LoadReport[numSubtasks];
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, channel.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "prefixflow-load-subscriber");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (!closed) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    accept(record.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("load reports from {} stopped (routing falls back to its own estimate): {}",
                        channel.topic(), e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The topic's partitions once the topic exists (the first publisher creates it); empty when closed first. */
    private List<TopicPartition> awaitPartitions() {
        while (!closed) {
            List<PartitionInfo> infos = consumer.partitionsFor(channel.topic(), Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>(infos.size());
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
                return partitions;
            }
            try {
                Thread.sleep(Math.min(channel.intervalMs(), TOPIC_POLL_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private void accept(byte[] value) {
        LoadReport report;
        try {
            report = LoadReport.decode(value);
        } catch (IllegalArgumentException e) {
            numSkipped.incrementAndGet();
            return;
        }
        if (!report.jobId().equals(jobId) || report.subtask() >= latest.length()) {
            numSkipped.incrementAndGet();
            return;
        }
        latest.set(report.subtask(), report);
        numReports.incrementAndGet();
    }

    /** Hands the reports that arrived since the last call to {@code router}; call from the router's thread. */
    public void drainTo(Router router, long nowMs) {
        for (int s = 0; s < applied.length; s++) {
            LoadReport report = latest.get(s);
            if (report != null && report != applied[s]) {
                applied[s] = report;
                router.reportLoad(s, report.outstandingTokens(), report.receivedRouteSeq(routerIndex), nowMs);
            }
        }
    }

    /** Reports of this job received so far. */
    public long numReports() {
        return numReports.get();
    }

    /** Records skipped: not a load report, another job's, or a subtask beyond the parallelism. */
    public long numSkipped() {
        return numSkipped.get();
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
