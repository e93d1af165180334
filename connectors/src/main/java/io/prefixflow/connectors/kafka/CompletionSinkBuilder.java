package io.prefixflow.connectors.kafka;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.serde.AvroRecordSerializationSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds the Flink {@link KafkaSink} that writes {@link Completion}s (or {@link CompletionChunk}s,
 * or {@link DeadLetter}s) to a topic as plain Avro binary, keyed by request id.
 *
 * <pre>{@code
 * KafkaSink<Completion> sink = CompletionSinkBuilder.forCompletions()
 *         .setBootstrapServers("localhost:9092")
 *         .setTopic("completions")
 *         .setTransactionalIdPrefix("prefixflow-completions")
 *         .build();
 * completions.sinkTo(sink);
 * }</pre>
 *
 * <p>Defaults: {@link DeliveryGuarantee#EXACTLY_ONCE} (Kafka transactions committed on each
 * checkpoint, so a {@code read_committed} consumer sees every record once; the job must have
 * checkpointing enabled), {@code transaction.timeout.ms} of {@link #DEFAULT_TRANSACTION_TIMEOUT},
 * checked against the broker's {@code transaction.max.timeout.ms}, assumed to be Kafka's default
 * {@link #DEFAULT_BROKER_MAX_TRANSACTION_TIMEOUT} unless set. {@link DeliveryGuarantee#AT_LEAST_ONCE}
 * is the option without transactions. {@link DeliveryGuarantee#NONE} is refused: it may lose
 * records on failure. Every check happens in {@link #build()}, and its message names the
 * setting to fix.
 *
 * <p>NOTE: each sink of a job (completions, chunks, dead letters) needs its own transactional
 * id prefix, and so does each job writing to the same cluster.
 *
 * @param <T> the record type written
 */
public final class CompletionSinkBuilder<T extends SpecificRecord> {
    /** Transaction timeout when none is set: Kafka's default maximum, so a stock broker accepts it. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);
    /** Kafka's default {@code transaction.max.timeout.ms}. */
    public static final Duration DEFAULT_BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMillis(900_000);

    private static final Set<String> RESERVED = Set.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private final String recordName;
    private final Function<String, AvroRecordSerializationSchema<T>> serializerForTopic;
    private String bootstrapServers;
    private String topic;
    private DeliveryGuarantee deliveryGuarantee;
    private String transactionalIdPrefix;
    private Duration transactionTimeout;
    private Duration brokerMaxTransactionTimeout;
    private final Properties properties = new Properties();

    private CompletionSinkBuilder(String recordName, Function<String, AvroRecordSerializationSchema<T>> serializerForTopic) {
        this.recordName = recordName;
        this.serializerForTopic = serializerForTopic;
        this.deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        this.transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        this.brokerMaxTransactionTimeout = DEFAULT_BROKER_MAX_TRANSACTION_TIMEOUT;
    }

    /** A sink of {@link Completion}s keyed by request id. */
    public static CompletionSinkBuilder<Completion> forCompletions() {
        return new CompletionSinkBuilder<>("Completion", AvroRecordSerializationSchema::completions);
    }

    /** A sink of streamed {@link CompletionChunk}s keyed by request id. */
    public static CompletionSinkBuilder<CompletionChunk> forChunks() {
        return new CompletionSinkBuilder<>("CompletionChunk", AvroRecordSerializationSchema::chunks);
    }

    /** A sink of {@link DeadLetter}s keyed by request id, or the source key when there is none. */
    public static CompletionSinkBuilder<DeadLetter> forDeadLetters() {
        return new CompletionSinkBuilder<>("DeadLetter", AvroRecordSerializationSchema::deadLetters);
    }

    /** Kafka's {@code bootstrap.servers}. Required. */
    public CompletionSinkBuilder<T> setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    /** The topic to write to. Required. */
    public CompletionSinkBuilder<T> setTopic(String topic) {
        this.topic = topic;
        return this;
    }

    /** {@link DeliveryGuarantee#EXACTLY_ONCE} (default) or {@link DeliveryGuarantee#AT_LEAST_ONCE}. */
    public CompletionSinkBuilder<T> setDeliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
        this.deliveryGuarantee = deliveryGuarantee;
        return this;
    }

    /** Prefix of the Kafka transactional ids. Required for exactly-once; unique per sink and job. */
    public CompletionSinkBuilder<T> setTransactionalIdPrefix(String transactionalIdPrefix) {
        this.transactionalIdPrefix = transactionalIdPrefix;
        return this;
    }

    /**
     * Kafka's {@code transaction.timeout.ms} for exactly-once: longer than the checkpoint interval
     * plus the longest expected downtime, and at most the broker's {@code transaction.max.timeout.ms}.
     */
    public CompletionSinkBuilder<T> setTransactionTimeout(Duration transactionTimeout) {
        this.transactionTimeout = transactionTimeout;
        return this;
    }

    /** The broker's {@code transaction.max.timeout.ms}, when it is not Kafka's default of 15 minutes. */
    public CompletionSinkBuilder<T> setBrokerMaxTransactionTimeout(Duration brokerMaxTransactionTimeout) {
        this.brokerMaxTransactionTimeout = brokerMaxTransactionTimeout;
        return this;
    }

    /**
     * Any other Kafka producer property, e.g. {@code compression.type} or {@code linger.ms}.
     * Properties with their own setter are refused in {@link #build()}.
     */
    public CompletionSinkBuilder<T> setProperty(String key, String value) {
        this.properties.setProperty(key, value);
        return this;
    }

    /**
     * Checks the settings and builds the sink.
     *
     * @throws IllegalStateException naming every setting that is missing or invalid
     */
    public KafkaSink<T> build() {
        List<String> problems = new ArrayList<>();
        if (isBlank(bootstrapServers)) {
            problems.add("bootstrapServers is required (setBootstrapServers)");
        }
        if (isBlank(topic)) {
            problems.add("topic is required (setTopic)");
        }
        if (deliveryGuarantee == null) {
            problems.add("deliveryGuarantee must not be null (setDeliveryGuarantee)");
        } else if (deliveryGuarantee == DeliveryGuarantee.NONE) {
            problems.add("deliveryGuarantee NONE may lose records; use EXACTLY_ONCE or AT_LEAST_ONCE (setDeliveryGuarantee)");
        } else if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            checkTransactions(problems);
        }
        for (String key : properties.stringPropertyNames()) {
            if (RESERVED.contains(key)) {
                problems.add("property '" + key + "' is set by this builder; use its setter instead of setProperty");
            }
        }
        Settings.throwIfAny("CompletionSinkBuilder<" + recordName + ">", problems);

        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializerForTopic.apply(topic))
                .setDeliveryGuarantee(deliveryGuarantee)
                .setKafkaProducerConfig(properties);
        if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix)
                    .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
        }
        return builder.build();
    }

    private void checkTransactions(List<String> problems) {
        if (isBlank(transactionalIdPrefix)) {
            problems.add("transactionalIdPrefix is required for EXACTLY_ONCE (setTransactionalIdPrefix)");
        }
        if (brokerMaxTransactionTimeout == null || brokerMaxTransactionTimeout.isNegative()
                || brokerMaxTransactionTimeout.isZero()) {
            problems.add("brokerMaxTransactionTimeout must be positive (setBrokerMaxTransactionTimeout), was "
                    + brokerMaxTransactionTimeout);
        } else if (transactionTimeout == null || transactionTimeout.isNegative() || transactionTimeout.isZero()) {
            problems.add("transactionTimeout (transaction.timeout.ms) must be positive (setTransactionTimeout), was "
                    + transactionTimeout);
        } else if (transactionTimeout.compareTo(brokerMaxTransactionTimeout) > 0) {
            problems.add("transactionTimeout (transaction.timeout.ms) " + transactionTimeout.toMillis()
                    + " exceeds the broker's transaction.max.timeout.ms " + brokerMaxTransactionTimeout.toMillis()
                    + "; the broker would refuse every transaction (setTransactionTimeout, setBrokerMaxTransactionTimeout)");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
