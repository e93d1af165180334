package io.prefixflow.runtime.cuda;

import io.prefixflow.runtime.model.ModelConfig;

/**
 * All KV blocks of all layers in one GPU allocation, F32.
 *
 * <pre>
 *  | layer 0 K | layer 0 V | layer 1 K | layer 1 V | ...
 *  each part:  | block 0: slot 0 [kvDim] ... slot B-1 | block 1: ... |      (B = blockSize)
 * </pre>
 *
 * A block id addresses the same block in every layer, as in the CPU backend's store.
 *
 * <p>NOTE: F32, not BF16: keys and values are what the attention of every later token reads, and rounding
 * them to BF16 would move the logits of long generations away from the CPU backend's; greedy equality on the
 * reference models is the bar. BF16 KV would halve the pool's bytes and the attention's reads, a later option.
 */
final class DeviceKvPool implements AutoCloseable {
    private final DeviceBuffer buffer;
    private final int blockSize;
    private final int numBlocks;
    private final long bytesPerLayerPart;

    DeviceKvPool(ModelConfig config, int blockSize, int numBlocks) {
        this.blockSize = blockSize;
        this.numBlocks = numBlocks;
        this.bytesPerLayerPart = (long) numBlocks * blockSize * config.kvDim() * Float.BYTES;
        this.buffer = new DeviceBuffer(bytesFor(config, blockSize, numBlocks));
    }

    /** Bytes one block takes over all layers, K and V. */
    static long bytesPerBlock(ModelConfig config, int blockSize) {
        return 2L * config.numLayers() * blockSize * config.kvDim() * Float.BYTES;
    }

    static long bytesFor(ModelConfig config, int blockSize, int numBlocks) {
        return bytesPerBlock(config, blockSize) * numBlocks;
    }

    int blockSize() {
        return blockSize;
    }

    int numBlocks() {
        return numBlocks;
    }

    DeviceBuffer buffer() {
        return buffer;
    }

    /** Byte offset of layer {@code layer}'s keys (values follow right after). */
    long keysOffset(int layer) {
        return 2L * layer * bytesPerLayerPart;
    }

    long valuesOffset(int layer) {
        return keysOffset(layer) + bytesPerLayerPart;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
