package io.prefixflow.runtime.sampling;

import java.util.List;

/**
 * How one request picks its tokens and when it stops.
 *
 * @param temperature 0 for greedy (argmax, ties to the lowest id); otherwise logits are divided by it
 * @param topP        nucleus: keep the smallest set of most likely tokens whose probability reaches topP; 1 keeps all
 * @param topK        keep the topK most likely tokens; 0 keeps all
 * @param seed        the random stream; the same seed gives the same tokens
 * @param maxTokens   most tokens to generate
 * @param stopStrings generation ends before the first occurrence of any of these in the text
 */
public record SamplingParams(float temperature, float topP, int topK, long seed, int maxTokens,
                             List<String> stopStrings) {
    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0 (0 = off), got " + topK);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** Greedy decoding of up to {@code maxTokens} tokens. */
    public static SamplingParams greedy(int maxTokens) {
        return new SamplingParams(0f, 1f, 0, 0L, maxTokens, List.of());
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }
}
