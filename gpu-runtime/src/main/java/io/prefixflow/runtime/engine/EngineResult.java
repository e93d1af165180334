package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.generate.FinishReason;
import java.util.Objects;

/**
 * What the engine made of one request.
 *
 * <p>A request the engine cannot serve (longer than the context, more blocks than the whole KV cache,
 * a token outside the vocabulary) is not an exception: its result has finish reason
 * {@link FinishReason#ERROR}, no tokens and a readable {@code errorMessage}.
 *
 * @param requestId      the request's id
 * @param promptTokenIds the prompt ids as submitted
 * @param tokenIds       generated ids, a final stop token included
 * @param text           generated text: stop tokens print nothing, text from a stop string on is cut;
 *                       empty for models without a tokenizer
 * @param finishReason   why it ended
 * @param errorMessage   why it failed, for {@link FinishReason#ERROR}; otherwise null
 * @param usage          token counts
 * @param timings        queue time, time to first token and total time
 */
public record EngineResult(String requestId, int[] promptTokenIds, int[] tokenIds, String text,
                           FinishReason finishReason, String errorMessage, Usage usage, Timings timings) {
    public EngineResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(timings, "timings");
        if ((finishReason == FinishReason.ERROR) != (errorMessage != null)) {
            throw new IllegalArgumentException("an errorMessage goes with finish reason error and only with it; got "
                    + finishReason + " and " + errorMessage);
        }
    }
}
