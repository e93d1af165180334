package io.prefixflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.FinishReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class AvroRecordSerializationSchemaTest {

    @Test
    void completionIsKeyedByRequestId() throws Exception {
        Completion c = Completion.newBuilder().setRequestId("r1").setTenant("acme").setText("olleh")
                .setPromptTokens(5).setCompletionTokens(5).setFinishReason(FinishReason.LENGTH).build();
        ProducerRecord<byte[], byte[]> record = AvroRecordSerializationSchema.completions("completions")
                .serialize(c, null, 42L);
        assertThat(record.topic()).isEqualTo("completions");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("r1");
        assertThat(record.timestamp()).isEqualTo(42L);
        assertThat(AvroBinary.of(Completion.class).decode(record.value())).isEqualTo(c);
    }

    @Test
    void deadLetterIsKeyedByRequestIdOrElseTheSourceKey() {
        DeadLetter.Builder dead = DeadLetter.newBuilder().setTopic("prompts").setPartition(0).setOffset(1)
                .setTimestamp(Instant.EPOCH).setReason("bad").setKey(ByteBuffer.wrap(new byte[] {9, 8}));
        var schema = AvroRecordSerializationSchema.deadLetters("dlq");
        assertThat(schema.serialize(dead.build(), null, null).key()).containsExactly(9, 8);
        assertThat(new String(schema.serialize(dead.setRequestId("r7").build(), null, null).key(),
                StandardCharsets.UTF_8)).isEqualTo("r7");
        assertThat(schema.serialize(dead.setRequestId(null).setKey(null).build(), null, null).key()).isNull();
    }
}
