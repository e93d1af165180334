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
 * @param ropeFreqFactors (headSize / 2) divisors of each RoPE pair's frequency (Llama 3.1+ long-context
 *                       scaling, GGUF {@code rope_freqs.weight}), or null for plain RoPE
 */
public record ModelWeights(WeightMatrix tokenEmbedding, List<LayerWeights> layers, float[] finalNorm,
                           WeightMatrix classifier, float[] ropeFreqFactors) {
    public ModelWeights {
        layers = List.copyOf(layers);
        if (ropeFreqFactors != null) {
            for (float f : ropeFreqFactors) {
                if (!(f > 0) || Float.isInfinite(f)) {
                    throw new IllegalArgumentException("RoPE frequency factors must be finite and positive, got " + f);
                }
            }
        }
    }

    /** Weights with plain RoPE. */
    public ModelWeights(WeightMatrix tokenEmbedding, List<LayerWeights> layers, float[] finalNorm,
                        WeightMatrix classifier) {
        this(tokenEmbedding, layers, finalNorm, classifier, null);
    }

    /**
     * Bytes of weights read to decode one token: every layer matrix and the classifier (one row of the token
     * embedding, which is not counted). Norms and biases are negligible and not counted.
     */
    public long bytesPerToken() {
        long bytes = bytesOf(classifier);
        for (LayerWeights layer : layers) {
            for (WeightMatrix m : new WeightMatrix[] {layer.wq(), layer.wk(), layer.wv(), layer.wo(), layer.w1(),
                    layer.w2(), layer.w3()}) {
                bytes += bytesOf(m);
            }
        }
        return bytes;
    }

    /** Floating-point operations of the matrix products of one token (2 per weight; attention not counted). */
    public long matmulFlopsPerToken() {
        long weights = (long) classifier.rows() * classifier.cols();
        for (LayerWeights layer : layers) {
            for (WeightMatrix m : new WeightMatrix[] {layer.wq(), layer.wk(), layer.wv(), layer.wo(), layer.w1(),
                    layer.w2(), layer.w3()}) {
                weights += (long) m.rows() * m.cols();
            }
        }
        return 2 * weights;
    }

    private static long bytesOf(WeightMatrix m) {
        return m.type().bytesFor((long) m.rows() * m.cols());
    }
}
