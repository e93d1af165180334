package io.prefixflow.connectors.kafka;

import io.prefixflow.connectors.serde.RequestDeserializationSchema;
import io.prefixflow.connectors.serde.RequestOrDeadLetter;
import io.prefixflow.connectors.validation.RequestLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the Flink {@link KafkaSource} that reads Avro {@code InferenceRequest}s from the
 * prompts topic. Every record becomes a {@link RequestOrDeadLetter}: undecodable or invalid
 * input turns into a dead letter instead of failing the job (see {@link DeadLetterSplitter}).
 *
 * <pre>{@code
 * KafkaSource<RequestOrDeadLetter> source = new PromptSourceBuilder()
 *         .setBootstrapServers("localhost:9092")
 *         .setTopics("prompts")
 *         .setGroupId("prefixflow")
 *         .build();
 * DataStream<RequestOrDeadLetter> input =
 *         env.fromSource(source, WatermarkStrategy.noWatermarks(), "prompts");
 * }</pre>
 *
 * <p>Defaults: group id {@value #DEFAULT_GROUP_ID}; start from the group's committed offsets,
 * or the earliest offset where none is committed; unbounded; {@code isolation.level=read_committed}
 * so aborted transactional writes are never served. Every check happens in {@link #build()},
 * and its message names the setting to fix.
 */
public final class PromptSourceBuilder {
    /** Consumer group used when none is set. */
    public static final String DEFAULT_GROUP_ID = "prefixflow";

    private static final Set<String> RESERVED = Set.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

    private String bootstrapServers;
    private final List<String> topics = new ArrayList<>();
    private String groupId;
    private OffsetsInitializer startingOffsets;
    private OffsetsInitializer stoppingOffsets;
    private RequestLimits limits = RequestLimits.DEFAULT;
    private final Properties properties = new Properties();

    /** A builder with the defaults above; bootstrap servers and topics must still be set. */
    @SuppressWarnings("deprecation") // NOTE: the connector's committedOffsets only takes the deprecated enum.
    public PromptSourceBuilder() {
        this.groupId = DEFAULT_GROUP_ID;
        this.startingOffsets = OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        this.properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    /** Kafka's {@code bootstrap.servers}, e.g. {@code "host1:9092,host2:9092"}. Required. */
    public PromptSourceBuilder setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    /** The topics to read prompts from. Required, at least one. */
    public PromptSourceBuilder setTopics(String... topics) {
        this.topics.clear();
        this.topics.addAll(Arrays.asList(topics));
        return this;
    }

    /** Kafka's {@code group.id}; offsets are committed to it on each checkpoint. */
    public PromptSourceBuilder setGroupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    /** Where to start reading, e.g. {@link OffsetsInitializer#earliest()}. */
    public PromptSourceBuilder setStartingOffsets(OffsetsInitializer startingOffsets) {
        this.startingOffsets = startingOffsets;
        return this;
    }

    /** Makes the source bounded: it stops at these offsets, e.g. {@link OffsetsInitializer#latest()}. */
    public PromptSourceBuilder setBounded(OffsetsInitializer stoppingOffsets) {
        this.stoppingOffsets = stoppingOffsets;
        return this;
    }

    /** What one request may ask for; a request over a limit becomes a dead letter. Default {@link RequestLimits#DEFAULT}. */
    public PromptSourceBuilder setRequestLimits(RequestLimits limits) {
        this.limits = limits;
        return this;
    }

    /**
     * Any other Kafka consumer or Flink Kafka source property, e.g. {@code isolation.level} or
     * {@code client.id.prefix}. Properties with their own setter are refused in {@link #build()}.
     */
    public PromptSourceBuilder setProperty(String key, String value) {
        this.properties.setProperty(key, value);
        return this;
    }

    /**
     * Checks the settings and builds the source.
     *
     * @throws IllegalStateException naming every setting that is missing or invalid
     */
    public KafkaSource<RequestOrDeadLetter> build() {
        List<String> problems = new ArrayList<>();
        if (isBlank(bootstrapServers)) {
            problems.add("bootstrapServers is required (setBootstrapServers)");
        }
        if (topics.isEmpty()) {
            problems.add("topics is required, at least one (setTopics)");
        } else if (topics.stream().anyMatch(PromptSourceBuilder::isBlank)) {
            problems.add("topics contains a null or blank topic name (setTopics): " + topics);
        }
        if (isBlank(groupId)) {
            problems.add("groupId must not be blank (setGroupId)");
        }
        if (limits == null) {
            problems.add("requestLimits must not be null (setRequestLimits)");
        }
        if (startingOffsets == null) {
            problems.add("startingOffsets must not be null (setStartingOffsets)");
        }
        for (String key : properties.stringPropertyNames()) {
            if (RESERVED.contains(key)) {
                problems.add("property '" + key + "' is set by this builder; use its setter instead of setProperty");
            }
        }
        Settings.throwIfAny("PromptSourceBuilder", problems);

        var builder = KafkaSource.<RequestOrDeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(List.copyOf(topics))
                .setGroupId(groupId)
                .setStartingOffsets(startingOffsets)
                .setDeserializer(new RequestDeserializationSchema(limits))
                .setProperties(properties);
        if (stoppingOffsets != null) {
            builder.setBounded(stoppingOffsets);
        }
        return builder.build();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
