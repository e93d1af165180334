package io.prefixflow.connectors.validation;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Checks what can be checked of an {@link InferenceRequest} without a model: required fields,
 * prompt shape and sampling parameters. A pure function; an invalid request goes to the
 * dead-letter topic with the reason. Whether the prompt fits the model's context is checked
 * later, after tokenization.
 *
 * <p>The sampling rules match the engine's {@code SamplingParams}: {@code max_tokens >= 1},
 * {@code temperature} finite and {@code >= 0}, {@code top_p} in (0, 1], {@code top_k >= 0},
 * stop strings non-empty.
 *
 * <p>Sizes are checked against {@link RequestLimits} (prompt bytes, messages, stop strings, metadata) by counting,
 * never by encoding or tokenizing, so an oversized request costs no more than reading its length; the reason
 * names the option of the limit it broke.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    /** Valid under {@link RequestLimits#DEFAULT}, or the first problem found. */
    public static ValidationResult validate(InferenceRequest request) {
        return validate(request, RequestLimits.DEFAULT);
    }

    /** Valid under {@code limits}, or the first problem found. */
    public static ValidationResult validate(InferenceRequest request, RequestLimits limits) {
        if (request == null) {
            return ValidationResult.invalid("request is null");
        }
        if (isBlank(request.getId())) {
            return ValidationResult.invalid("id is missing or blank");
        }
        if (isBlank(request.getTenant())) {
            return ValidationResult.invalid("tenant is missing or blank");
        }
        ValidationResult prompt = checkPrompt(request.getPrompt(), request.getMessages(), limits);
        if (!prompt.isValid()) {
            return prompt;
        }
        if (request.getCacheKey() != null && request.getCacheKey().isBlank()) {
            return ValidationResult.invalid("cache_key is blank (leave it null to route by prefix)");
        }
        if (request.getMaxTokens() < 1) {
            return ValidationResult.invalid("max_tokens must be >= 1, was " + request.getMaxTokens());
        }
        float temperature = request.getTemperature();
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            return ValidationResult.invalid("temperature must be a finite number >= 0, was " + temperature);
        }
        float topP = request.getTopP();
        if (!(topP > 0 && topP <= 1)) {
            return ValidationResult.invalid("top_p must be in (0, 1], was " + topP);
        }
        if (request.getTopK() < 0) {
            return ValidationResult.invalid("top_k must be >= 0 (0 keeps all tokens), was " + request.getTopK());
        }
        if (request.getCreatedAt() == null) {
            return ValidationResult.invalid("created_at is missing");
        }
        ValidationResult stop = checkStop(request.getStop(), limits);
        if (!stop.isValid()) {
            return stop;
        }
        return checkMetadata(request.getMetadata(), limits);
    }

    private static ValidationResult checkPrompt(String prompt, List<ChatMessage> messages, RequestLimits limits) {
        if (prompt == null && messages == null) {
            return ValidationResult.invalid("neither prompt nor messages is set");
        }
        if (prompt != null && messages != null) {
            return ValidationResult.invalid("both prompt and messages are set; set exactly one");
        }
        if (prompt != null) {
            if (prompt.isEmpty()) {
                return ValidationResult.invalid("prompt is empty");
            }
            return Utf8Length.of(prompt, limits.maxPromptBytes()) > limits.maxPromptBytes()
                    ? overLimit("prompt is longer than", limits.maxPromptBytes(), "bytes",
                            RequestLimitOptions.MAX_PROMPT_BYTES)
                    : ValidationResult.ok();
        }
        if (messages.isEmpty()) {
            return ValidationResult.invalid("messages is empty");
        }
        if (messages.size() > limits.maxMessages()) {
            return overLimit("messages has " + messages.size() + " entries, more than", limits.maxMessages(),
                    "messages", RequestLimitOptions.MAX_MESSAGES);
        }
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message == null) {
                return ValidationResult.invalid("messages[" + i + "] is null");
            }
            if (isBlank(message.getRole())) {
                return ValidationResult.invalid("messages[" + i + "].role is missing or blank");
            }
            if (message.getContent() == null) {
                return ValidationResult.invalid("messages[" + i + "].content is missing");
            }
            long left = limits.maxPromptBytes() - bytes;
            bytes += Utf8Length.of(message.getRole(), left) + Utf8Length.of(message.getContent(), left);
            if (bytes > limits.maxPromptBytes()) {
                return overLimit("messages (roles and contents) are longer than", limits.maxPromptBytes(), "bytes",
                        RequestLimitOptions.MAX_PROMPT_BYTES);
            }
        }
        return ValidationResult.ok();
    }

    private static ValidationResult checkStop(List<String> stop, RequestLimits limits) {
        if (stop == null) {
            return ValidationResult.invalid("stop is null (use an empty list)");
        }
        if (stop.size() > limits.maxStopStrings()) {
            return overLimit("stop has " + stop.size() + " strings, more than", limits.maxStopStrings(), "strings",
                    RequestLimitOptions.MAX_STOP_STRINGS);
        }
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i) == null || stop.get(i).isEmpty()) {
                return ValidationResult.invalid("stop[" + i + "] is empty");
            }
            if (stop.get(i).length() > limits.maxStopStringChars()) {
                return overLimit("stop[" + i + "] has " + stop.get(i).length() + " chars, more than",
                        limits.maxStopStringChars(), "chars", RequestLimitOptions.MAX_STOP_STRING_CHARS);
            }
        }
        return ValidationResult.ok();
    }

    private static ValidationResult checkMetadata(Map<String, String> metadata, RequestLimits limits) {
        if (metadata == null) {
            return ValidationResult.ok();
        }
        if (metadata.size() > limits.maxMetadataEntries()) {
            return overLimit("metadata has " + metadata.size() + " entries, more than", limits.maxMetadataEntries(),
                    "entries", RequestLimitOptions.MAX_METADATA_ENTRIES);
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            long left = limits.maxMetadataBytes() - bytes;
            bytes += Utf8Length.of(e.getKey(), left) + (e.getValue() == null ? 0 : Utf8Length.of(e.getValue(), left));
            if (bytes > limits.maxMetadataBytes()) {
                return overLimit("metadata (keys and values) is longer than", limits.maxMetadataBytes(), "bytes",
                        RequestLimitOptions.MAX_METADATA_BYTES);
            }
        }
        return ValidationResult.ok();
    }

    private static ValidationResult overLimit(String what, long limit, String unit, ConfigOption<?> option) {
        return ValidationResult.invalid(what + " the limit of " + limit + " " + unit + " (" + option.key() + ")");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
