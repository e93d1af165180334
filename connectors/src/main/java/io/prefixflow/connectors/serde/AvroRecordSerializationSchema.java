package io.prefixflow.connectors.serde;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes generated Avro records to one topic as plain Avro binary, keyed so that all records of
 * a request land on the same partition, in order. Use the factories:
 * {@link #completions(String)}, {@link #chunks(String)}, {@link #deadLetters(String)}.
 *
 * @param <T> the generated record type
 */
public final class AvroRecordSerializationSchema<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, byte[]> keyOf;
    private transient AvroBinary<T> codec;

    private AvroRecordSerializationSchema(String topic, Class<T> type, SerializableFunction<T, byte[]> keyOf) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.type = Objects.requireNonNull(type, "type");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    }

    /** Completions keyed by request id (UTF-8). */
    public static AvroRecordSerializationSchema<Completion> completions(String topic) {
        return new AvroRecordSerializationSchema<>(topic, Completion.class, c -> utf8(c.getRequestId()));
    }

    /** Completion chunks keyed by request id (UTF-8). */
    public static AvroRecordSerializationSchema<CompletionChunk> chunks(String topic) {
        return new AvroRecordSerializationSchema<>(topic, CompletionChunk.class, c -> utf8(c.getRequestId()));
    }

    /**
     * Dead letters keyed by request id (UTF-8) when the value decoded, otherwise by the source
     * record's own key (which may be null).
     */
    public static AvroRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return new AvroRecordSerializationSchema<>(topic, DeadLetter.class, d -> d.getRequestId() != null
                ? utf8(d.getRequestId())
                : bytesOf(d.getKey()));
    }

    /** The topic every record goes to. */
    public String topic() {
        return topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = AvroBinary.of(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = AvroBinary.of(type);
        }
        return new ProducerRecord<>(topic, null, timestamp, keyOf.apply(element), codec.encode(element));
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
