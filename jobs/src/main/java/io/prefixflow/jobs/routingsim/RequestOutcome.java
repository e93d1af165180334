package io.prefixflow.jobs.routingsim;

/**
 * How one simulated request went.
 *
 * @param id                 the request
 * @param workload           its workload
 * @param subtask            the inference subtask that served it
 * @param arrivalMs          when it reached the router, simulated ms
 * @param finishMs           when its last token was generated, simulated ms
 * @param promptTokens       its prompt length
 * @param cachedPromptTokens prompt tokens the prefix cache supplied at its first admission
 */
public record RequestOutcome(String id, String workload, int subtask, double arrivalMs, double finishMs,
                             int promptTokens, int cachedPromptTokens) {
    public RequestOutcome {
        if (finishMs < arrivalMs || cachedPromptTokens < 0 || cachedPromptTokens > promptTokens) {
            throw new IllegalArgumentException("request " + id + ": finish " + finishMs + " ms before arrival "
                    + arrivalMs + " ms, or cached " + cachedPromptTokens + " of " + promptTokens + " tokens");
        }
    }

    public double latencyMs() {
        return finishMs - arrivalMs;
    }
}
