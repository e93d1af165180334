package io.prefixflow.connectors.serde;

import io.prefixflow.connectors.validation.RequestLimits;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the prompts topic: every Kafka record becomes exactly one {@link RequestOrDeadLetter},
 * so bad input never fails the source and is never dropped. See {@link RequestDecoder}.
 */
public final class RequestDeserializationSchema implements KafkaRecordDeserializationSchema<RequestOrDeadLetter> {
    private static final long serialVersionUID = 1L;

    private final RequestLimits limits;
    private transient RequestDecoder decoder;

    /** Refuses requests over {@code limits} (as dead letters). */
    public RequestDeserializationSchema(RequestLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = new RequestDecoder(limits);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RequestOrDeadLetter> out) {
        if (decoder == null) {
            decoder = new RequestDecoder(limits);
        }
        out.collect(decoder.decode(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value()));
    }

    @Override
    public TypeInformation<RequestOrDeadLetter> getProducedType() {
        return TypeInformation.of(RequestOrDeadLetter.class);
    }
}
