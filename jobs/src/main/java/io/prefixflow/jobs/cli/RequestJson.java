package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.connectors.avro.ResponseFormatType;
import io.prefixflow.runtime.structured.ResponseFormat;
import io.prefixflow.connectors.avro.Priority;
import io.prefixflow.connectors.validation.RequestValidator;
import io.prefixflow.connectors.validation.ValidationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object → one {@link InferenceRequest}: keys {@code id}, {@code tenant}, {@code prompt} or
 * {@code messages} ([{"role", "content"}]), and optionally {@code cache_key}, {@code max_tokens},
 * {@code temperature}, {@code top_p}, {@code top_k}, {@code seed}, {@code stop} (string or list),
 * {@code priority}, {@code stream}, {@code deadline_ms}, {@code metadata}. A missing id is
 * {@code defaultId}, a missing tenant {@code "default"}. Problems are {@link IllegalArgumentException}s.
 */
final class RequestJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("id", "tenant", "prompt", "messages", "cache_key", "max_tokens",
            "temperature", "top_p", "top_k", "seed", "stop", "priority", "stream", "deadline_ms", "metadata",
            "response_format");

    private RequestJson() {
    }

    static InferenceRequest parse(String json, String defaultId) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key \"" + key + "\"; known keys: " + KEYS);
            }
        }
        InferenceRequest.Builder b = InferenceRequest.newBuilder()
                .setId(text(node, "id", defaultId))
                .setTenant(text(node, "tenant", "default"))
                .setPrompt(text(node, "prompt", null))
                .setCacheKey(text(node, "cache_key", null))
                .setCreatedAt(Instant.now());
        if (node.has("messages")) {
            JsonNode messages = node.get("messages");
            if (!messages.isArray()) {
                throw new IllegalArgumentException("messages must be a list of {\"role\", \"content\"} objects");
            }
            List<ChatMessage> list = new ArrayList<>();
            for (JsonNode m : messages) {
                list.add(new ChatMessage(text(m, "role", null), text(m, "content", null)));
            }
            b.setMessages(list);
        }
        if (node.has("max_tokens")) {
            b.setMaxTokens(integer(node, "max_tokens"));
        }
        if (node.has("temperature")) {
            b.setTemperature((float) number(node, "temperature"));
        }
        if (node.has("top_p")) {
            b.setTopP((float) number(node, "top_p"));
        }
        if (node.has("top_k")) {
            b.setTopK(integer(node, "top_k"));
        }
        if (node.has("seed")) {
            if (!node.get("seed").canConvertToLong()) {
                throw new IllegalArgumentException("seed must be an integer");
            }
            b.setSeed(node.get("seed").asLong());
        }
        if (node.has("stop")) {
            b.setStop(stops(node.get("stop")));
        }
        if (node.has("priority")) {
            String p = text(node, "priority", null);
            try {
                b.setPriority(Priority.valueOf(p.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("priority must be LATENCY or THROUGHPUT, got \"" + p + "\"");
            }
        }
        if (node.has("stream")) {
            if (!node.get("stream").isBoolean()) {
                throw new IllegalArgumentException("stream must be true or false");
            }
            b.setStream(node.get("stream").asBoolean());
        }
        if (node.has("deadline_ms")) {
            b.setDeadline(Instant.ofEpochMilli(node.get("deadline_ms").asLong()));
        }
        if (node.has("metadata")) {
            Map<String, String> metadata = new LinkedHashMap<>();
            node.get("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            b.setMetadata(metadata);
        }
        if (node.has("response_format") && !node.get("response_format").isNull()) {
            b.setResponseFormat(responseFormat(node.get("response_format")));
        }
        InferenceRequest request = b.build();
        ValidationResult valid = RequestValidator.validate(request);
        if (!valid.isValid()) {
            throw new IllegalArgumentException(valid.reason());
        }
        return request;
    }

    /**
     * The Avro response format of the JSON form {@link ResponseFormat#fromJson} reads; checked here, so a
     * malformed one stops the producer instead of becoming an error completion later.
     */
    private static io.prefixflow.connectors.avro.ResponseFormat responseFormat(JsonNode node) {
        ResponseFormat format = ResponseFormat.fromJson(node);
        return io.prefixflow.connectors.avro.ResponseFormat.newBuilder()
                .setType(ResponseFormatType.valueOf(format.type().name()))
                .setJsonSchema(format.schema())
                .setChoices(format.choices())
                .setPattern(format.pattern())
                .build();
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(key + " must be a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer");
        }
        return v.asInt();
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number");
        }
        return v.asDouble();
    }

    private static List<String> stops(JsonNode v) {
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("stop must be a string or a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException("stop must be a string or a list of strings");
            }
            out.add(s.asText());
        }
        return out;
    }
}
