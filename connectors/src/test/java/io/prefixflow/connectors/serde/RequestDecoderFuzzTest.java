package io.prefixflow.connectors.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.connectors.avro.DeadLetter;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.validation.RequestLimits;
import io.prefixflow.connectors.validation.RequestValidator;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Arbitrary bytes as a Kafka record value: {@link RequestDecoder} never throws and gives a valid request or a
 * dead letter with a reason and at most the allowed prefix of the bytes; bytes {@link BinaryShapeCheck} passes
 * always decode (the shape check and Avro agree); a decoded request survives an encode/decode round trip.
 * Small {@link RequestLimits} so that fuzzed requests reach every limit. Seeds:
 * {@code src/test/resources/io/prefixflow/connectors/serde/RequestDecoderFuzzTestInputs/decode/}.
 */
class RequestDecoderFuzzTest {
    static final RequestLimits SMALL = new RequestLimits(200, 3, 2, 8, 2, 64, 32);

    private final RequestDecoder decoder = new RequestDecoder(SMALL);
    private final AvroBinary<InferenceRequest> codec = AvroBinary.of(InferenceRequest.class);

    @FuzzTest
    void decode(byte[] value) throws MalformedRecordException {
        RequestOrDeadLetter out = decoder.decode("prompts", 0, 7, 1_700_000_000_000L, null, value);
        if (out.isRequest()) {
            InferenceRequest request = out.getRequest();
            assertTrue(RequestValidator.validate(request, SMALL).isValid());
            assertEquals(request, codec.decode(codec.encode(request)), "encode/decode round trip");
            return;
        }
        DeadLetter dead = out.getDeadLetter();
        assertNotNull(dead.getReason());
        assertFalse(dead.getReason().isBlank());
        assertFalse(dead.getReason().startsWith("unexpected error"), dead::getReason);
        ByteBuffer payload = dead.getPayload().duplicate();
        byte[] kept = new byte[payload.remaining()];
        payload.get(kept);
        assertArrayEquals(Arrays.copyOf(value, Math.min(value.length, SMALL.deadLetterPayloadBytes())), kept);
        if (BinaryShapeCheck.problem(codec.schema(), value) == null) {
            assertFalse(dead.getReason().startsWith("not an InferenceRequest"),
                    () -> "the shape check passed but Avro refused: " + dead.getReason());
        }
    }
}
