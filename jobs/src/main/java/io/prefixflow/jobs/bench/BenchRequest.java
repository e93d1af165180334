package io.prefixflow.jobs.bench;

/**
 * One prompt of a workload.
 *
 * @param id        unique request id
 * @param prompt    plain prompt text
 * @param maxTokens tokens to generate
 * @param cacheKey  routing key overriding the prefix fingerprint (a conversation's session id), or null
 */
public record BenchRequest(String id, String prompt, int maxTokens, String cacheKey) {
    public BenchRequest {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens + " for request " + id);
        }
    }
}
