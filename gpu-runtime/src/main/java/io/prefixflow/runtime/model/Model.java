package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.util.Set;

/**
 * A loaded model: what it is, its weights and its tokenizer.
 *
 * @param name        file name or {@code dummy:SHAPE}, for messages
 * @param config      shape and numerics
 * @param weights     the weights, read in place from their file where there is one
 * @param tokenizer   the tokenizer, or null for dummy models run on token ids only
 * @param stopTokenIds tokens that end a generation when sampled
 * @param chatTemplate Jinja chat template from the model file, or null
 */
public record Model(String name, ModelConfig config, ModelWeights weights, Tokenizer tokenizer,
                    Set<Integer> stopTokenIds, String chatTemplate) {
    public Model {
        stopTokenIds = Set.copyOf(stopTokenIds);
    }

    /** The same model served with another context length, in tokens. */
    public Model withContextLength(int contextLength) {
        return new Model(name, config.withContextLength(contextLength), weights, tokenizer, stopTokenIds, chatTemplate);
    }
}
