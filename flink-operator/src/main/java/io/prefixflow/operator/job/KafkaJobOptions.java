package io.prefixflow.operator.job;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** The Kafka side of the job, as typed Flink {@link ConfigOption}s; read into {@link KafkaJobSettings}. */
public final class KafkaJobOptions {
    private KafkaJobOptions() {
    }

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions
            .key("prefixflow.kafka.bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka bootstrap.servers, e.g. host1:9092,host2:9092. Required.");

    public static final ConfigOption<String> INPUT_TOPIC = ConfigOptions.key("prefixflow.kafka.input-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("Topic of Avro InferenceRequests. Required.");

    public static final ConfigOption<String> OUTPUT_TOPIC = ConfigOptions.key("prefixflow.kafka.output-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("Topic the Avro Completions go to (exactly once). Required.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = ConfigOptions
            .key("prefixflow.kafka.dead-letter-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("Topic of DeadLetters (input that does not decode or validate); default: the input"
                    + " topic's name + \".dead-letters\".");

    public static final ConfigOption<String> LOAD_TOPIC = ConfigOptions
            .key("prefixflow.kafka.load-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("Topic of the inference subtasks' load reports that cache-aware routing balances on"
                    + " (created with one partition and a one-minute retention if missing); default: the input"
                    + " topic's name + \".load\".");

    public static final ConfigOption<String> CHUNK_TOPIC = ConfigOptions.key("prefixflow.kafka.chunk-topic")
            .stringType()
            .noDefaultValue()
            .withDescription("Topic of CompletionChunks for requests with stream = true; without it they get"
                    + " only their Completion.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("prefixflow.kafka.group-id")
            .stringType()
            .defaultValue("prefixflow")
            .withDescription("Consumer group of the prompt source; also the prefix of the sinks' transactional ids.");

    public static final ConfigOption<Boolean> BOUNDED = ConfigOptions.key("prefixflow.kafka.bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("Stop at the input topic's latest offsets as of the start (a batch run) instead of"
                    + " reading forever.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions
            .key("prefixflow.kafka.transaction-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(15))
            .withDescription("transaction.timeout.ms of the exactly-once sinks; at most the brokers'"
                    + " transaction.max.timeout.ms.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions
            .key("prefixflow.kafka.delivery-guarantee")
            .enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
            .withDescription("exactly-once: the sinks write in Kafka transactions committed on checkpoints, so a"
                    + " read_committed consumer sees each record once; at-least-once: no transactions, records"
                    + " written after the last checkpoint are written again after a failure (duplicates)."
                    + " none is refused.");
}
