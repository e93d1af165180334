package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tensor.WeightMatrix;
import java.util.List;

/**
 * All weights of a Llama-family model.
 *
 * @param tokenEmbedding (vocabSize, dim)
 * @param layers         one entry per block
 * @param finalNorm      (dim)
 * @param classifier     (vocabSize, dim); the same object as tokenEmbedding when they are shared
 */
public record ModelWeights(WeightMatrix tokenEmbedding, List<LayerWeights> layers, float[] finalNorm,
                           WeightMatrix classifier) {
    public ModelWeights {
        layers = List.copyOf(layers);
    }
}
