package io.prefixflow.connectors.validation;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.util.List;

/**
 * Checks what can be checked of an {@link InferenceRequest} without a model: required fields,
 * prompt shape and sampling parameters. A pure function; an invalid request goes to the
 * dead-letter topic with the reason. Whether the prompt fits the model's context is checked
 * later, after tokenization.
 *
 * <p>The sampling rules match the engine's {@code SamplingParams}: {@code max_tokens >= 1},
 * {@code temperature} finite and {@code >= 0}, {@code top_p} in (0, 1], {@code top_k >= 0},
 * stop strings non-empty.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    /** Valid, or the first problem found. */
    public static ValidationResult validate(InferenceRequest request) {
        if (request == null) {
            return ValidationResult.invalid("request is null");
        }
        if (isBlank(request.getId())) {
            return ValidationResult.invalid("id is missing or blank");
        }
        if (isBlank(request.getTenant())) {
            return ValidationResult.invalid("tenant is missing or blank");
        }
        ValidationResult prompt = checkPrompt(request.getPrompt(), request.getMessages());
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
        return checkStop(request.getStop());
    }

    private static ValidationResult checkPrompt(String prompt, List<ChatMessage> messages) {
        if (prompt == null && messages == null) {
            return ValidationResult.invalid("neither prompt nor messages is set");
        }
        if (prompt != null && messages != null) {
            return ValidationResult.invalid("both prompt and messages are set; set exactly one");
        }
        if (prompt != null) {
            return prompt.isEmpty() ? ValidationResult.invalid("prompt is empty") : ValidationResult.ok();
        }
        if (messages.isEmpty()) {
            return ValidationResult.invalid("messages is empty");
        }
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
        }
        return ValidationResult.ok();
    }

    private static ValidationResult checkStop(List<String> stop) {
        if (stop == null) {
            return ValidationResult.invalid("stop is null (use an empty list)");
        }
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i) == null || stop.get(i).isEmpty()) {
                return ValidationResult.invalid("stop[" + i + "] is empty");
            }
        }
        return ValidationResult.ok();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
