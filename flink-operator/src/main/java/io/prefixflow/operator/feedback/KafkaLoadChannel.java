package io.prefixflow.operator.feedback;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where load reports travel: a Kafka topic (one partition is plenty: p reports per interval), created by the
 * first publisher if missing, with a short retention since only the latest report of each subtask matters.
 *
 * @param bootstrapServers the job's Kafka cluster
 * @param topic            the load topic ({@code prefixflow.kafka.load-topic})
 * @param intervalMs       how often each inference subtask reports, ms (&gt; 0)
 * @param minChangeTokens  the least change of the outstanding work that is worth a periodic report (&gt;= 1; a
 *                         new route sequence number always is)
 */
public record KafkaLoadChannel(String bootstrapServers, String topic, long intervalMs, long minChangeTokens)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public KafkaLoadChannel {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        if (intervalMs < 1) {
            throw new IllegalArgumentException("intervalMs must be >= 1, got " + intervalMs);
        }
        if (minChangeTokens < 1) {
            throw new IllegalArgumentException("minChangeTokens must be >= 1, got " + minChangeTokens);
        }
    }

    /** A channel that reports every change. */
    public KafkaLoadChannel(String bootstrapServers, String topic, long intervalMs) {
        this(bootstrapServers, topic, intervalMs, 1);
    }

    /**
     * Starts reporting {@code outstandingTokens} of one inference subtask every interval, on its own thread, with
     * the route sequence number of the last request it took from each router ({@link LoadReport}).
     */
    public LoadPublisher startPublisher(String jobId, int subtask, LongSupplier outstandingTokens,
                                        Supplier<long[]> receivedRouteSeqs) {
        return new LoadPublisher(this, jobId, subtask, outstandingTokens, receivedRouteSeqs);
    }

    /**
     * Starts reading the reports of {@code numSubtasks} inference subtasks of job {@code jobId}, on its own thread,
     * for the router of prepare subtask {@code routerIndex}.
     */
    public LoadSubscriber startSubscriber(String jobId, int numSubtasks, int routerIndex) {
        return new LoadSubscriber(this, jobId, numSubtasks, routerIndex);
    }
}
