package io.prefixflow.runtime.cpu;

import io.prefixflow.runtime.model.ModelConfig;

/**
 * The K and V of every layer, in fixed-size blocks, on the Java heap.
 *
 * <pre>
 *  keys[layer]:  | block 0: slot 0 [kvDim] slot 1 [kvDim] ... slot B-1 | block 1: ... |
 *  a position p of a sequence with block table T lives at ((T[p / B] * B) + p % B) * kvDim
 * </pre>
 */
final class PagedKvStore {
    private final int blockSize;
    private final int numBlocks;
    private final int kvDim;
    private final float[][] keys;
    private final float[][] values;

    PagedKvStore(ModelConfig config, int blockSize, int numBlocks) {
        this.blockSize = blockSize;
        this.numBlocks = numBlocks;
        this.kvDim = config.kvDim();
        long floatsPerLayer = (long) numBlocks * blockSize * kvDim;
        if (floatsPerLayer > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("KV cache of " + numBlocks + " blocks is too large for one layer array;"
                    + " lower the KV cache budget");
        }
        this.keys = new float[config.numLayers()][(int) floatsPerLayer];
        this.values = new float[config.numLayers()][(int) floatsPerLayer];
    }

    /** Bytes one block takes over all layers, K and V. */
    static long bytesPerBlock(ModelConfig config, int blockSize) {
        return 2L * config.numLayers() * blockSize * config.kvDim() * Float.BYTES;
    }

    int blockSize() {
        return blockSize;
    }

    int numBlocks() {
        return numBlocks;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    /** Offset of position {@code position}'s K (or V) vector, read through {@code blockTable}. */
    int offset(int[] blockTable, int position) {
        int block = blockTable[position / blockSize];
        return (block * blockSize + position % blockSize) * kvDim;
    }
}
