package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.ResponseFormat;
import java.util.Objects;

/**
 * One generation request as the engine sees it: already tokenized.
 *
 * @param id             unique among the engine's live requests; used by {@link Engine#abort(String)}
 * @param promptTokenIds the prompt's token ids, BOS included where the model wants one; at least one
 * @param params         sampling and stop settings ({@code maxTokens}, seed, stop strings)
 * @param priority       scheduling class
 * @param cacheSalt      the tenant's prefix-cache namespace: only requests with equal salts share cached
 *                       blocks; {@code ""} shares with every other unsalted request
 * @param responseFormat the shape the output must have, or null for free text. Only tokens that keep the
 *                       output valid are sampled; the request ends with {@code stop} once the output is
 *                       complete and nothing may follow, or when a stop token is sampled where the output
 *                       is complete. If {@code maxTokens} (or the context) runs out first it ends with
 *                       {@code length} and the partial, incomplete text. A format that cannot be compiled
 *                       ends the request at once with {@code error} naming the problem.
 */
public record EngineRequest(String id, int[] promptTokenIds, SamplingParams params, Priority priority,
                            String cacheSalt, ResponseFormat responseFormat) {
    public EngineRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(cacheSalt, "cacheSalt (use \"\" for no salt)");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("request id must not be empty");
        }
        if (promptTokenIds.length == 0) {
            throw new IllegalArgumentException("request " + id + " has an empty prompt; give at least one token");
        }
        promptTokenIds = promptTokenIds.clone();
    }

    /** A request for free text (no response format). */
    public EngineRequest(String id, int[] promptTokenIds, SamplingParams params, Priority priority,
                         String cacheSalt) {
        this(id, promptTokenIds, params, priority, cacheSalt, null);
    }

    /** The same request with {@code format} as its response format. */
    public EngineRequest withResponseFormat(ResponseFormat format) {
        return new EngineRequest(id, promptTokenIds, params, priority, cacheSalt, format);
    }

    /** A greedy, unsalted throughput-class request. */
    public static EngineRequest greedy(String id, int[] promptTokenIds, int maxTokens) {
        return new EngineRequest(id, promptTokenIds, SamplingParams.greedy(maxTokens), Priority.THROUGHPUT, "");
    }

    /** The prompt ids; a copy. */
    @Override
    public int[] promptTokenIds() {
        return promptTokenIds.clone();
    }

    int promptLength() {
        return promptTokenIds.length;
    }

    int promptToken(int index) {
        return promptTokenIds[index];
    }
}
