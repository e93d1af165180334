package io.prefixflow.operator.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;

/**
 * The JSON of the OpenAI completions protocol: the body of {@code POST /v1/completions} for one
 * {@link InferenceRequest}, and a response body read into a {@link Completion}.
 */
final class CompletionsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CompletionsJson() {
    }

    /**
     * The request body: {@code model} (when given), {@code prompt}, {@code max_tokens}, {@code temperature},
     * {@code top_p}, {@code seed} (when the request has one), {@code stop} (when not empty) and {@code top_k}
     * (only when set, &gt; 0; not part of OpenAI's API, but vLLM, TGI and llama.cpp accept it).
     */
    static String requestBody(InferenceRequest request, String model) {
        ObjectNode body = MAPPER.createObjectNode();
        if (model != null) {
            body.put("model", model);
        }
        body.put("prompt", request.getPrompt());
        body.put("max_tokens", request.getMaxTokens());
        body.put("temperature", request.getTemperature());
        body.put("top_p", request.getTopP());
        if (request.getSeed() != null) {
            body.put("seed", request.getSeed());
        }
        if (!request.getStop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.getStop().forEach(stop::add);
        }
        if (request.getTopK() > 0) {
            body.put("top_k", request.getTopK());
        }
        body.put("stream", false);
        return body.toString();
    }

    /**
     * Reads {@code choices[0].text}, {@code choices[0].finish_reason} ({@code "length"} is LENGTH, anything
     * else STOP), {@code usage.prompt_tokens}, {@code usage.completion_tokens} and, when present,
     * {@code usage.prompt_tokens_details.cached_tokens} into a completion of {@code request}.
     *
     * @throws MalformedResponseException when the body is not JSON or lacks {@code choices[0].text}
     */
    static Completion parseResponse(InferenceRequest request, String body, int subtask, long totalMs)
            throws MalformedResponseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (Exception e) {
            throw new MalformedResponseException("the body is not JSON: " + e.getMessage());
        }
        JsonNode choice = root == null ? null : root.path("choices").path(0);
        if (choice == null || !choice.path("text").isTextual()) {
            throw new MalformedResponseException("no choices[0].text in the body");
        }
        JsonNode usage = root.path("usage");
        String finish = choice.path("finish_reason").asText("stop");
        return Completion.newBuilder()
                .setRequestId(request.getId())
                .setTenant(request.getTenant())
                .setText(choice.path("text").asText())
                .setPromptTokens(usage.path("prompt_tokens").asInt(0))
                .setCachedPromptTokens(usage.path("prompt_tokens_details").path("cached_tokens").asInt(0))
                .setCompletionTokens(usage.path("completion_tokens").asInt(0))
                .setFinishReason("length".equals(finish) ? FinishReason.LENGTH : FinishReason.STOP)
                .setError(null)
                .setQueueMs(0)
                .setTtftMs(null)
                .setTotalMs(totalMs)
                .setServedBySubtask(subtask)
                .build();
    }

    /** A response body that does not follow the completions protocol. */
    static final class MalformedResponseException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedResponseException(String message) {
            super(message);
        }
    }
}
