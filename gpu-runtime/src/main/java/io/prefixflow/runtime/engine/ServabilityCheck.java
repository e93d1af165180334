package io.prefixflow.runtime.engine;

import java.util.Optional;

/**
 * Decides at submission whether a request can ever be served, so that one that cannot fails at once
 * instead of waiting forever. Immutable and thread-safe.
 *
 * <p>NOTE: a request is judged by its worst case, {@code min(prompt + maxTokens - 1, context)} positions
 * (the last sampled token is never fed back), because a sequence that outgrows the whole cache while
 * running alone could only preempt itself, forever.
 *
 * @param contextLength model context in tokens
 * @param vocabSize     valid token ids are {@code [0, vocabSize)}
 * @param blockSize     tokens per KV block
 * @param numBlocks     blocks in the whole KV cache
 */
record ServabilityCheck(int contextLength, int vocabSize, int blockSize, int numBlocks) {

    /** Why the request can never be served, or empty if it can. */
    Optional<String> whyUnservable(EngineRequest request) {
        int promptLength = request.promptLength();
        if (promptLength >= contextLength) {
            return Optional.of("the prompt has " + promptLength + " tokens, but the model's context holds "
                    + contextLength + " (prompt plus at least one generated token)");
        }
        for (int i = 0; i < promptLength; i++) {
            int token = request.promptToken(i);
            if (token < 0 || token >= vocabSize) {
                return Optional.of("prompt token " + i + " is " + token + ", outside the vocabulary [0, "
                        + vocabSize + ")");
            }
        }
        long worstPositions = Math.min((long) promptLength + request.params().maxTokens() - 1, contextLength);
        long worstBlocks = (worstPositions + blockSize - 1) / blockSize;
        if (worstBlocks > numBlocks) {
            return Optional.of("the request may need " + worstBlocks + " KV blocks (" + promptLength
                    + " prompt tokens + max_tokens " + request.params().maxTokens() + ", " + blockSize
                    + " tokens per block) but the whole KV cache has " + numBlocks
                    + "; lower max_tokens or raise --kv-cache-bytes");
        }
        return Optional.empty();
    }
}
