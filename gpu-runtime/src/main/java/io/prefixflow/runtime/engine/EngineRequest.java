package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.sampling.SamplingParams;
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
 */
public record EngineRequest(String id, int[] promptTokenIds, SamplingParams params, Priority priority,
                            String cacheSalt) {
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
