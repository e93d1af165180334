package io.prefixflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.kafka.DeadLetterSplitter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/** The records flowing between operators use Flink's POJO and Avro serializers, never Kryo. */
class FlinkTypesTest {

    @Test
    void sourceOutputIsAPojoOfAvroRecords() {
        TypeInformation<RequestOrDeadLetter> type = new RequestDeserializationSchema(io.prefixflow.connectors.validation.RequestLimits.DEFAULT).getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<RequestOrDeadLetter> pojo = (PojoTypeInfo<RequestOrDeadLetter>) type;
        assertThat(pojo.getTypeAt("request")).isInstanceOf(AvroTypeInfo.class);
        assertThat(pojo.getTypeAt("deadLetter")).isInstanceOf(AvroTypeInfo.class);
        assertThat(DeadLetterSplitter.DEAD_LETTERS.getTypeInfo()).isInstanceOf(AvroTypeInfo.class);
    }

    @Test
    void bothVariantsSurviveFlinkSerializationWithGenericTypesDisabled() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<RequestOrDeadLetter> serializer =
                new RequestDeserializationSchema(io.prefixflow.connectors.validation.RequestLimits.DEFAULT).getProducedType().createSerializer(config);
        DeadLetter dead = DeadLetter.newBuilder().setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3})).setTopic("t")
                .setPartition(1).setOffset(2).setTimestamp(Instant.ofEpochMilli(3)).setReason("bad").build();
        InferenceRequest request = Requests.chat("r1");
        for (RequestOrDeadLetter value : new RequestOrDeadLetter[] {
                RequestOrDeadLetter.request(request), RequestOrDeadLetter.deadLetter(dead)}) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(value, out);
            RequestOrDeadLetter copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(copy).isEqualTo(value);
        }
    }
}
