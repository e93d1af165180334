package io.prefixflow.connectors.serde;

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

    private transient RequestDecoder decoder;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = new RequestDecoder();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RequestOrDeadLetter> out) {
        if (decoder == null) {
            decoder = new RequestDecoder();
        }
        out.collect(decoder.decode(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value()));
    }

    @Override
    public TypeInformation<RequestOrDeadLetter> getProducedType() {
        return TypeInformation.of(RequestOrDeadLetter.class);
    }
}
