package io.prefixflow.jobs.routingsim;

import java.util.Objects;

/**
 * One simulated request: token ids synthesized directly (no tokenizer).
 *
 * @param id           unique within a run
 * @param workload     the workload it came from (for the mix)
 * @param cacheKey     a conversation id, or null
 * @param promptTokens the prompt's token ids, at least one
 * @param outputTokens what the engine "generates": exactly these, {@code max_tokens} of them, at least one
 * @param arrivalMs    when it reaches the router, simulated ms after the start
 */
public record SimRequest(String id, String workload, String cacheKey, int[] promptTokens, int[] outputTokens,
                         double arrivalMs) {
    public SimRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workload, "workload");
        if (promptTokens.length == 0 || outputTokens.length == 0) {
            throw new IllegalArgumentException("request " + id + " needs a prompt and at least one output token");
        }
        if (!(arrivalMs >= 0)) {
            throw new IllegalArgumentException("request " + id + ": arrivalMs must be >= 0, got " + arrivalMs);
        }
    }

    public int maxTokens() {
        return outputTokens.length;
    }

    /** The same request arriving at {@code timeMs}. */
    public SimRequest arrivingAt(double timeMs) {
        return new SimRequest(id, workload, cacheKey, promptTokens, outputTokens, timeMs);
    }
}
