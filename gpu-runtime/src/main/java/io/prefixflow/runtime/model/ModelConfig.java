package io.prefixflow.runtime.model;

/**
 * Shape and numerics of a Llama-family model.
 *
 * @param dim          model (residual) width
 * @param hiddenDim    SwiGLU hidden width
 * @param numLayers    transformer blocks
 * @param numHeads     query heads
 * @param numKvHeads   key/value heads (grouped-query attention when fewer than numHeads)
 * @param vocabSize    tokens in the vocabulary and rows of the classifier
 * @param contextLength longest sequence the model serves, in tokens
 * @param rmsEps       RMSNorm epsilon
 * @param ropeTheta    RoPE base frequency
 * @param ropeStyle    which dimensions RoPE pairs
 */
public record ModelConfig(int dim, int hiddenDim, int numLayers, int numHeads, int numKvHeads,
                          int vocabSize, int contextLength, float rmsEps, float ropeTheta,
                          RopeStyle ropeStyle) {
    public ModelConfig {
        requirePositive("dim", dim);
        requirePositive("hiddenDim", hiddenDim);
        requirePositive("numLayers", numLayers);
        requirePositive("numHeads", numHeads);
        requirePositive("numKvHeads", numKvHeads);
        requirePositive("vocabSize", vocabSize);
        requirePositive("contextLength", contextLength);
        if (dim % numHeads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not a multiple of numHeads " + numHeads);
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException(
                    "numHeads " + numHeads + " is not a multiple of numKvHeads " + numKvHeads);
        }
        if ((dim / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("head size " + dim / numHeads + " is odd; RoPE needs pairs");
        }
        if (!(rmsEps > 0) || !(ropeTheta > 0)) {
            throw new IllegalArgumentException("rmsEps and ropeTheta must be positive");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public int headSize() {
        return dim / numHeads;
    }

    /** Width of one token's keys (or values) over all KV heads. */
    public int kvDim() {
        return numKvHeads * headSize();
    }

    /** Query heads that share one KV head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** The same model with another context length (positions are RoPE-encoded, so any length runs). */
    public ModelConfig withContextLength(int newContextLength) {
        return new ModelConfig(dim, hiddenDim, numLayers, numHeads, numKvHeads, vocabSize, newContextLength, rmsEps,
                ropeTheta, ropeStyle);
    }
}
