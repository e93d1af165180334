package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tensor.WeightMatrix;

/**
 * Weights of one transformer block. Matrices are {@code [out][in]}.
 *
 * @param attnNorm RMSNorm weight before attention, (dim)
 * @param wq       (dim, dim)
 * @param wk       (kvDim, dim)
 * @param wv       (kvDim, dim)
 * @param wo       (dim, dim)
 * @param bq       query bias (dim) or null; qwen2 has Q/K/V biases
 * @param bk       key bias (kvDim) or null
 * @param bv       value bias (kvDim) or null
 * @param ffnNorm  RMSNorm weight before the feed-forward, (dim)
 * @param w1       gate projection, (hiddenDim, dim)
 * @param w2       down projection, (dim, hiddenDim)
 * @param w3       up projection, (hiddenDim, dim)
 */
public record LayerWeights(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                           float[] bq, float[] bk, float[] bv,
                           float[] ffnNorm, WeightMatrix w1, WeightMatrix w2, WeightMatrix w3) {
}
