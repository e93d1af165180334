package io.prefixflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.avro.ResponseFormat;
import io.prefixflow.connectors.avro.ResponseFormatType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Records producers wrote with the v1 InferenceRequest schema (before response_format) still decode. */
class SchemaHistoryTest {
    private final RequestDecoder decoder = new RequestDecoder();

    @Test
    void aRecordWrittenWithTheV1SchemaDecodesWithoutAResponseFormat() throws IOException {
        Schema v1 = SchemaHistory.inferenceRequestWriters().get(0);
        assertThat(v1.getField("response_format")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "old-1");
        old.put("tenant", "acme");
        old.put("prompt", "Once upon a time");
        old.put("max_tokens", 7);
        old.put("temperature", 0f);
        old.put("top_p", 1f);
        old.put("top_k", 0);
        old.put("stop", List.of("."));
        old.put("priority", new GenericData.EnumSymbol(v1.getField("priority").schema(), "LATENCY"));
        old.put("stream", false);
        old.put("created_at", 1_700_000_000_000L);
        old.put("metadata", Map.of("k", "v"));

        RequestOrDeadLetter out = decoder.decode("prompts", 0, 1, 0, null, write(v1, old));

        assertThat(out.isRequest()).as(out.isRequest() ? "" : out.getDeadLetter().getReason()).isTrue();
        InferenceRequest request = out.getRequest();
        assertThat(request.getId()).isEqualTo("old-1");
        assertThat(request.getPrompt()).isEqualTo("Once upon a time");
        assertThat(request.getMaxTokens()).isEqualTo(7);
        assertThat(request.getStop()).containsExactly(".");
        assertThat(request.getMetadata()).containsEntry("k", "v");
        assertThat(request.getResponseFormat()).isNull();
    }

    @Test
    void todaysRecordsRoundTripWithTheirResponseFormat() {
        InferenceRequest request = Requests.prompt("r1", "Weather?");
        request.setResponseFormat(ResponseFormat.newBuilder().setType(ResponseFormatType.CHOICE)
                .setChoices(List.of("sunny", "rainy")).build());
        byte[] bytes = AvroBinary.of(InferenceRequest.class).encode(request);
        RequestOrDeadLetter out = decoder.decode("prompts", 0, 1, 0, null, bytes);
        assertThat(out.getRequest()).isEqualTo(request);
    }

    @Test
    void todaysSchemaCanReadEveryPastWriter() {
        for (Schema past : SchemaHistory.inferenceRequestWriters()) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(InferenceRequest.getClassSchema(), past)
                    .getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    private static byte[] write(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
