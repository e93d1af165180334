package io.prefixflow.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
    private final RequestDecoder decoder = new RequestDecoder();
    private final AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);

    @Test
    void validRequestPassesThrough() {
        InferenceRequest request = Requests.chat("r1");
        RequestOrDeadLetter out = decoder.decode("prompts", 0, 5, 1000, null, codec.encode(request));
        assertThat(out.isRequest()).isTrue();
        assertThat(out.getRequest()).isEqualTo(request);
    }

    @Test
    void garbageBecomesADeadLetterWithItsOrigin() {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        byte[] key = {1, 2};
        RequestOrDeadLetter out = decoder.decode("prompts", 3, 77, 1234, key, garbage);
        assertThat(out.isRequest()).isFalse();
        DeadLetter d = out.getDeadLetter();
        assertThat(d.getTopic()).isEqualTo("prompts");
        assertThat(d.getPartition()).isEqualTo(3);
        assertThat(d.getOffset()).isEqualTo(77);
        assertThat(d.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1234));
        assertThat(d.getPayload()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(d.getKey()).isEqualTo(ByteBuffer.wrap(key));
        assertThat(d.getRequestId()).isNull();
        assertThat(d.getReason()).startsWith("not an InferenceRequest in Avro binary: ");
    }

    @Test
    void truncatedAvroBecomesADeadLetter() {
        byte[] bytes = codec.encode(Requests.prompt("r1", "Once upon a time"));
        RequestOrDeadLetter cut = decoder.decode("prompts", 0, 1, 0, null, Arrays.copyOf(bytes, 12));
        assertThat(cut.getDeadLetter().getReason())
                .isEqualTo("not an InferenceRequest in Avro binary: string of 16 bytes exceeds the 2 bytes left"
                        + " at byte 10 of 12");
        // NOTE: two bytes, not one: without only its last byte (response_format's null) the record is exactly
        // one written with the v1 schema, which decodes.
        RequestOrDeadLetter end = decoder.decode("prompts", 0, 2, 0, null, Arrays.copyOf(bytes, bytes.length - 2));
        assertThat(end.getDeadLetter().getReason()).contains("input ends inside");
    }

    @Test
    void tombstoneAndEmptyValueBecomeDeadLetters() {
        assertThat(decoder.decode("prompts", 0, 1, 0, null, null).getDeadLetter().getReason()).contains("tombstone");
        assertThat(decoder.decode("prompts", 0, 2, 0, null, new byte[0]).getDeadLetter().getReason())
                .isEqualTo("record value is empty");
    }

    @Test
    void invalidParametersBecomeADeadLetterNamingTheRequest() {
        InferenceRequest request = Requests.prompt("r9", "hi");
        request.setTopP(1.5f);
        RequestOrDeadLetter out = decoder.decode("prompts", 0, 9, 0, null, codec.encode(request));
        assertThat(out.getDeadLetter().getRequestId()).isEqualTo("r9");
        assertThat(out.getDeadLetter().getReason()).isEqualTo("invalid request: top_p must be in (0, 1], was 1.5");
    }

    @Test
    void neverThrowsOnRandomOrMutatedInput() {
        Random random = new Random(7);
        byte[] valid = codec.encode(Requests.chat("r1"));
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            RequestOrDeadLetter out = decoder.decode("prompts", 0, i, 0, null, input);
            assertThat(out.isRequest() ? out.getRequest() : out.getDeadLetter()).isNotNull();
            if (!out.isRequest()) {
                assertThat(out.getDeadLetter().getReason()).isNotBlank();
                assertThat(out.getDeadLetter().getOffset()).isEqualTo(i);
            }
        }
    }
}
