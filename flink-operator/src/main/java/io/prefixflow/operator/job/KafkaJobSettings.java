package io.prefixflow.operator.job;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The checked values of {@link KafkaJobOptions}.
 *
 * @param bootstrapServers   {@link KafkaJobOptions#BOOTSTRAP_SERVERS}
 * @param inputTopic         {@link KafkaJobOptions#INPUT_TOPIC}
 * @param outputTopic        {@link KafkaJobOptions#OUTPUT_TOPIC}
 * @param deadLetterTopic    {@link KafkaJobOptions#DEAD_LETTER_TOPIC} (defaulted)
 * @param chunkTopic         {@link KafkaJobOptions#CHUNK_TOPIC}, or null
 * @param groupId            {@link KafkaJobOptions#GROUP_ID}
 * @param bounded            {@link KafkaJobOptions#BOUNDED}
 * @param transactionTimeout {@link KafkaJobOptions#TRANSACTION_TIMEOUT}
 * @param deliveryGuarantee  {@link KafkaJobOptions#DELIVERY_GUARANTEE}: exactly-once or at-least-once
 * @param loadTopic          {@link KafkaJobOptions#LOAD_TOPIC} (defaulted)
 */
public record KafkaJobSettings(String bootstrapServers, String inputTopic, String outputTopic, String deadLetterTopic,
                               String chunkTopic, String groupId, boolean bounded, Duration transactionTimeout,
                               DeliveryGuarantee deliveryGuarantee, String loadTopic)
        implements Serializable {
    public KafkaJobSettings {
        required(KafkaJobOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        required(KafkaJobOptions.INPUT_TOPIC, inputTopic);
        required(KafkaJobOptions.OUTPUT_TOPIC, outputTopic);
        required(KafkaJobOptions.DEAD_LETTER_TOPIC, deadLetterTopic);
        required(KafkaJobOptions.GROUP_ID, groupId);
        required(KafkaJobOptions.LOAD_TOPIC, loadTopic);
        if (chunkTopic != null && chunkTopic.isBlank()) {
            throw new IllegalArgumentException(KafkaJobOptions.CHUNK_TOPIC.key() + " is blank; leave it unset instead");
        }
        if (transactionTimeout == null || transactionTimeout.isNegative() || transactionTimeout.isZero()) {
            throw new IllegalArgumentException(KafkaJobOptions.TRANSACTION_TIMEOUT.key() + " must be > 0, got "
                    + transactionTimeout);
        }
        if (deliveryGuarantee == null || deliveryGuarantee == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException(KafkaJobOptions.DELIVERY_GUARANTEE.key() + " must be exactly-once or"
                    + " at-least-once, got " + deliveryGuarantee);
        }
    }

    /** Reads and checks the options. */
    public static KafkaJobSettings from(ReadableConfig config) {
        String input = config.getOptional(KafkaJobOptions.INPUT_TOPIC).orElse(null);
        return new KafkaJobSettings(
                config.getOptional(KafkaJobOptions.BOOTSTRAP_SERVERS).orElse(null),
                input,
                config.getOptional(KafkaJobOptions.OUTPUT_TOPIC).orElse(null),
                config.getOptional(KafkaJobOptions.DEAD_LETTER_TOPIC).orElse(input == null ? null : input + ".dead-letters"),
                config.getOptional(KafkaJobOptions.CHUNK_TOPIC).orElse(null),
                config.get(KafkaJobOptions.GROUP_ID),
                config.get(KafkaJobOptions.BOUNDED),
                config.get(KafkaJobOptions.TRANSACTION_TIMEOUT),
                config.get(KafkaJobOptions.DELIVERY_GUARANTEE),
                config.getOptional(KafkaJobOptions.LOAD_TOPIC).orElse(input == null ? null : input + ".load"));
    }

    private static void required(ConfigOption<String> option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option.key() + " is required");
        }
    }
}
