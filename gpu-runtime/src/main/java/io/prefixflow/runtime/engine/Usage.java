package io.prefixflow.runtime.engine;

/**
 * Token counts of one finished request.
 *
 * @param promptTokens       prompt length
 * @param cachedPromptTokens prompt tokens found in the prefix cache when the request was first admitted
 *                           (whole blocks; never the last prompt token)
 * @param completionTokens   generated tokens, a final stop token included
 */
public record Usage(int promptTokens, int cachedPromptTokens, int completionTokens) {
    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0: promptTokens " + promptTokens
                    + ", completionTokens " + completionTokens);
        }
        if (cachedPromptTokens < 0 || cachedPromptTokens > promptTokens) {
            throw new IllegalArgumentException("cachedPromptTokens must be in [0, promptTokens " + promptTokens
                    + "], got " + cachedPromptTokens);
        }
    }
}
