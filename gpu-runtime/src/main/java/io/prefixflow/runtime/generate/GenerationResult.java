package io.prefixflow.runtime.generate;

/**
 * What one generation produced.
 *
 * @param promptTokenIds the encoded prompt, BOS included where the model adds one
 * @param tokenIds       generated ids, including a final stop token when one ended the generation
 * @param text           generated text: stop tokens print nothing, and text from a stop string on is cut
 * @param finishReason   why it ended
 */
public record GenerationResult(int[] promptTokenIds, int[] tokenIds, String text, FinishReason finishReason) {
}
