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
 * @param qNorm    RMSNorm weight applied to each query head after projection and bias, before RoPE,
 *                 (headSize), or null; qwen3 has it
 * @param kNorm    the same for each key head, (headSize), or null; present exactly when qNorm is
 */
public record LayerWeights(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                           float[] bq, float[] bk, float[] bv,
                           float[] ffnNorm, WeightMatrix w1, WeightMatrix w2, WeightMatrix w3,
                           float[] qNorm, float[] kNorm) {
    public LayerWeights {
        if ((qNorm == null) != (kNorm == null)) {
            throw new IllegalArgumentException("per-head Q and K norms come together: qNorm "
                    + (qNorm == null ? "absent" : "present") + ", kNorm " + (kNorm == null ? "absent" : "present"));
        }
    }

    /** A layer without per-head Q/K norms (every architecture but qwen3). */
    public LayerWeights(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                        float[] bq, float[] bk, float[] bv,
                        float[] ffnNorm, WeightMatrix w1, WeightMatrix w2, WeightMatrix w3) {
        this(attnNorm, wq, wk, wv, wo, bq, bk, bv, ffnNorm, w1, w2, w3, null, null);
    }
}
