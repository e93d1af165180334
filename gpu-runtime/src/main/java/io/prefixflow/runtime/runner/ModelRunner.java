package io.prefixflow.runtime.runner;

import io.prefixflow.runtime.model.ModelConfig;

/**
 * Runs the model over a batch of sequences whose KV cache lives in paged blocks the runner owns.
 *
 * <p>The runner stores K/V; which block belongs to whom is decided outside it (a {@code BlockPool} in
 * kv-state). Block ids passed in block tables must be below {@link #numBlocks()}.
 */
public interface ModelRunner extends AutoCloseable {
    ModelConfig config();

    /** Tokens per KV block. */
    int blockSize();

    /** Physical KV blocks this runner holds. */
    int numBlocks();

    /**
     * Appends every chunk's K/V into its blocks and returns, per sequence in batch order, the logits
     * (vocabSize floats) of its last new position.
     */
    float[][] forward(ForwardBatch batch);

    @Override
    void close();
}
