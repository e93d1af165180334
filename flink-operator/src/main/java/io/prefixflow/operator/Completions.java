package io.prefixflow.operator;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;

/** Builds the {@link Completion}s that report a request the job could not serve. */
public final class Completions {
    /** {@code served_by_subtask} of a completion no inference subtask served. */
    public static final int NOT_SERVED = -1;

    private Completions() {
    }

    /**
     * A completion with finish reason {@code ERROR}, no text and {@code message} as its error.
     *
     * @param promptTokens the prompt's length in tokens, 0 if it was never tokenized
     * @param subtask      the inference subtask that answered, or {@link #NOT_SERVED}
     */
    public static Completion error(InferenceRequest request, int promptTokens, String message, int subtask) {
        return unserved(request, promptTokens, FinishReason.ERROR, message, subtask);
    }

    /** A completion with no text that ends a request before any token: {@code reason} and {@code message}. */
    public static Completion unserved(InferenceRequest request, int promptTokens, FinishReason reason, String message,
                                      int subtask) {
        return Completion.newBuilder()
                .setRequestId(request.getId())
                .setTenant(request.getTenant())
                .setText("")
                .setPromptTokens(promptTokens)
                .setCachedPromptTokens(0)
                .setCompletionTokens(0)
                .setFinishReason(reason)
                .setError(message)
                .setServedBySubtask(subtask)
                .build();
    }
}
