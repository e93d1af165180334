package io.prefixflow.connectors.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests with any field values, absurd ones included (NaN, infinities, negative counts, nulls, lone
 * surrogates), through {@link RequestValidator}: it never throws, and whatever it accepts obeys every rule the
 * engine relies on and every {@link RequestLimits limit}, measured here independently (by encoding). Seeds:
 * {@code src/test/resources/io/prefixflow/connectors/validation/RequestValidatorFuzzTestInputs/validate/}.
 */
class RequestValidatorFuzzTest {
    private static final RequestLimits LIMITS = new RequestLimits(120, 3, 2, 8, 2, 40, 16);

    @FuzzTest
    void validate(FuzzedDataProvider data) {
        InferenceRequest r = new InferenceRequest();
        r.setId(data.consumeBoolean() ? null : data.consumeString(8));
        r.setTenant(data.consumeBoolean() ? null : data.consumeString(8));
        if (data.consumeBoolean()) {
            r.setPrompt(data.consumeString(160));
        }
        if (data.consumeBoolean()) {
            List<ChatMessage> messages = new ArrayList<>();
            int n = data.consumeInt(0, 5);
            for (int i = 0; i < n; i++) {
                messages.add(data.consumeBoolean() ? null : new ChatMessage(
                        data.consumeBoolean() ? null : data.consumeString(10),
                        data.consumeBoolean() ? null : data.consumeString(60)));
            }
            r.setMessages(messages);
        }
        r.setCacheKey(data.consumeBoolean() ? null : data.consumeString(6));
        r.setMaxTokens(data.consumeInt());
        r.setTemperature(data.consumeBoolean() ? data.consumeFloat() : data.consumeRegularFloat());
        r.setTopP(data.consumeBoolean() ? data.consumeFloat() : data.consumeProbabilityFloat());
        r.setTopK(data.consumeInt());
        // NOTE: put, not the generated setter, which cannot take null (it truncates the instant to milliseconds).
        r.put("created_at", data.consumeBoolean() ? null : Instant.ofEpochMilli(data.consumeLong()));
        if (data.consumeBoolean()) {
            List<String> stop = new ArrayList<>();
            int n = data.consumeInt(0, 4);
            for (int i = 0; i < n; i++) {
                stop.add(data.consumeBoolean() ? null : data.consumeString(12));
            }
            r.setStop(stop);
        }
        Map<String, String> metadata = new HashMap<>();
        int entries = data.consumeInt(0, 4);
        for (int i = 0; i < entries; i++) {
            metadata.put(data.consumeString(10), data.consumeString(30));
        }
        r.setMetadata(metadata);

        ValidationResult result = RequestValidator.validate(r, LIMITS);
        if (!result.isValid()) {
            assertTrue(!result.reason().isBlank());
            return;
        }
        assertTrue(!r.getId().isBlank() && !r.getTenant().isBlank() && r.getCreatedAt() != null);
        assertTrue((r.getPrompt() == null) != (r.getMessages() == null), "exactly one of prompt and messages");
        assertTrue(r.getMaxTokens() >= 1);
        assertTrue(Float.isFinite(r.getTemperature()) && r.getTemperature() >= 0, "temperature");
        assertTrue(r.getTopP() > 0 && r.getTopP() <= 1, "top_p");
        assertTrue(r.getTopK() >= 0);
        long promptBytes = 0;
        if (r.getPrompt() != null) {
            assertTrue(!r.getPrompt().isEmpty());
            promptBytes = utf8(r.getPrompt());
        } else {
            assertTrue(!r.getMessages().isEmpty() && r.getMessages().size() <= LIMITS.maxMessages());
            for (ChatMessage m : r.getMessages()) {
                assertTrue(m != null && m.getRole() != null && !m.getRole().isBlank() && m.getContent() != null);
                promptBytes += utf8(m.getRole()) + utf8(m.getContent());
            }
        }
        assertTrue(promptBytes <= LIMITS.maxPromptBytes(), "prompt bytes " + promptBytes);
        assertTrue(r.getStop().size() <= LIMITS.maxStopStrings());
        for (String s : r.getStop()) {
            assertTrue(s != null && !s.isEmpty() && s.length() <= LIMITS.maxStopStringChars());
        }
        assertTrue(r.getMetadata().size() <= LIMITS.maxMetadataEntries());
        long metadataBytes = 0;
        for (Map.Entry<String, String> e : r.getMetadata().entrySet()) {
            metadataBytes += utf8(e.getKey()) + utf8(e.getValue());
        }
        assertTrue(metadataBytes <= LIMITS.maxMetadataBytes(), "metadata bytes " + metadataBytes);
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
