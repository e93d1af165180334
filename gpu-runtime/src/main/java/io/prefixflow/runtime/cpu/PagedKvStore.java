package io.prefixflow.runtime.cpu;

import io.prefixflow.runtime.kernel.SimdLanes;
import io.prefixflow.runtime.kernel.VectorOps;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.runner.KvDtype;
import io.prefixflow.runtime.tensor.KvRowCodec;
import jdk.incubator.vector.FloatVector;

/**
 * The K and V of every layer, in fixed-size blocks, on the Java heap, as floats or encoded ({@link KvDtype}).
 *
 * <pre>
 *  values[layer]: | block 0: slot 0 [kvDim] slot 1 [kvDim] ... slot B-1 | block 1: ... |
 *  a position p of a sequence with block table T lives at ((T[p / B] * B) + p % B) * kvDim   ({@link #offset})
 *
 *  keys[layer], when B is a multiple of LANES ("column layout"):
 *                 | block 0: element 0 [B slots] element 1 [B slots] ... element kvDim-1 | block 1: ... |
 *  element e of position p lives at (T[p / B] * kvDim + e) * B + p % B; otherwise keys are laid out as values;
 *  a Q8_0 key's scale of elements [32g, 32g + 32) at (T[p / B] * kvDim / 32 + g) * B + p % B
 * </pre>
 * The attention scores LANES keys at a time, one FMA per dimension across them, so it needs the keys of a group
 * as columns: in the column layout they are read in place (F32) or with one contiguous decode per column (F16,
 * Q8_0), instead of a 16-way gather per dimension, which took a quarter of a 16-sequence decode step. Encoded rows are
 * decoded into a caller's scratch by {@link #keyColumns} and {@link #valueRows}: the attention then runs the
 * float kernels on them, so its arithmetic is the F32 path's on the rounded values.
 */
final class PagedKvStore {
    private static final int LANES = SimdLanes.LANES;

    private final KvDtype dtype;
    private final int blockSize;
    private final int numBlocks;
    private final int kvDim;
    // one of these pairs is used, by dtype; per layer
    private final float[][] keys;
    private final float[][] values;
    private final short[][] keyHalves;
    private final short[][] valueHalves;
    private final byte[][] keyQuants;
    private final byte[][] valueQuants;
    private final short[][] keyScales;
    private final short[][] valueScales;
    /** Whether keys use the column layout (see the class comment). */
    private final boolean keyColumnLayout;
    /** Whether the attention reads keys straight from {@link #keys} (the F32 column layout). */
    private final boolean keysInPlace;
    /** One K row encoded before it is spread over its block's columns (writes are single-threaded). */
    private final short[] halfRow;
    private final byte[] quantRow;
    private final short[] scaleRow;

    PagedKvStore(ModelConfig config, int blockSize, int numBlocks, KvDtype dtype) {
        this.dtype = dtype;
        this.blockSize = blockSize;
        this.numBlocks = numBlocks;
        this.kvDim = config.kvDim();
        if (dtype == KvDtype.Q8_0 && config.headSize() % KvDtype.Q8_0_GROUP != 0) {
            throw new IllegalArgumentException("KV cache type q8_0 quantizes 32 values of a head at a time; this"
                    + " model's head size is " + config.headSize() + " (use f32 or f16)");
        }
        long valuesPerLayer = (long) numBlocks * blockSize * kvDim;
        if (valuesPerLayer > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("KV cache of " + numBlocks + " blocks is too large for one layer array;"
                    + " lower the KV cache budget");
        }
        int n = (int) valuesPerLayer;
        int layers = config.numLayers();
        this.keys = dtype == KvDtype.F32 ? new float[layers][n] : null;
        this.values = dtype == KvDtype.F32 ? new float[layers][n] : null;
        this.keyHalves = dtype == KvDtype.F16 ? new short[layers][n] : null;
        this.valueHalves = dtype == KvDtype.F16 ? new short[layers][n] : null;
        this.keyQuants = dtype == KvDtype.Q8_0 ? new byte[layers][n] : null;
        this.valueQuants = dtype == KvDtype.Q8_0 ? new byte[layers][n] : null;
        this.keyScales = dtype == KvDtype.Q8_0 ? new short[layers][n / KvDtype.Q8_0_GROUP] : null;
        this.valueScales = dtype == KvDtype.Q8_0 ? new short[layers][n / KvDtype.Q8_0_GROUP] : null;
        this.keyColumnLayout = blockSize % LANES == 0;
        this.keysInPlace = keyColumnLayout && dtype == KvDtype.F32;
        this.halfRow = new short[kvDim];
        this.quantRow = new byte[kvDim];
        this.scaleRow = new short[kvDim / KvDtype.Q8_0_GROUP + 1];
    }

    /** Bytes one block takes over all layers, K and V, stored as {@code dtype}. */
    static long bytesPerBlock(ModelConfig config, int blockSize, KvDtype dtype) {
        return 2L * config.numLayers() * blockSize * dtype.bytesPerRow(config.kvDim());
    }

    int blockSize() {
        return blockSize;
    }

    int numBlocks() {
        return numBlocks;
    }

    /** Offset of position {@code position}'s K (or V) vector, read through {@code blockTable}. */
    int offset(int[] blockTable, int position) {
        int block = blockTable[position / blockSize];
        return (block * blockSize + position % blockSize) * kvDim;
    }

    /**
     * Whether positions {@code first} and {@code last} ({@code first <= last}) of a sequence lie in the same block,
     * so their {@link #offset}s are {@code kvDim} apart per position.
     */
    boolean sameBlock(int first, int last) {
        return first / blockSize == last / blockSize;
    }

    /** Stores one token's K and V ({@code kvDim} values each) at {@code slot} (an {@link #offset}). */
    void write(int layer, int slot, float[] k, int kOff, float[] v, int vOff) {
        writeRow(values, valueHalves, valueQuants, valueScales, layer, slot, v, vOff);
        if (keyColumnLayout) {
            writeKeyColumns(layer, slot, k, kOff);
        } else {
            writeRow(keys, keyHalves, keyQuants, keyScales, layer, slot, k, kOff);
        }
    }

    /** One row at {@code slot}, encoded as {@link #dtype}, into whichever of the arrays that type uses. */
    private void writeRow(float[][] floats, short[][] halves, byte[][] quants, short[][] scales, int layer,
                          int slot, float[] src, int off) {
        switch (dtype) {
            case F32 -> System.arraycopy(src, off, floats[layer], slot, kvDim);
            case F16 -> KvRowCodec.encodeF16(src, off, halves[layer], slot, kvDim);
            case Q8_0 -> KvRowCodec.encodeQ8_0(src, off, quants[layer], slot, scales[layer],
                    slot / KvDtype.Q8_0_GROUP, kvDim);
        }
    }

    /** One key row spread over its block's columns (encoded types: encoded as a row first, then spread). */
    private void writeKeyColumns(int layer, int slot, float[] k, int kOff) {
        int at = columnIndex(slot, 1);
        switch (dtype) {
            case F32 -> {
                float[] dst = keys[layer];
                for (int e = 0; e < kvDim; e++, at += blockSize) {
                    dst[at] = k[kOff + e];
                }
            }
            case F16 -> {
                KvRowCodec.encodeF16(k, kOff, halfRow, 0, kvDim);
                short[] dst = keyHalves[layer];
                for (int e = 0; e < kvDim; e++, at += blockSize) {
                    dst[at] = halfRow[e];
                }
            }
            case Q8_0 -> {
                KvRowCodec.encodeQ8_0(k, kOff, quantRow, 0, scaleRow, 0, kvDim);
                byte[] dst = keyQuants[layer];
                for (int e = 0; e < kvDim; e++, at += blockSize) {
                    dst[at] = quantRow[e];
                }
                short[] scales = keyScales[layer];
                at = columnIndex(slot, KvDtype.Q8_0_GROUP);
                for (int g = 0; g < kvDim / KvDtype.Q8_0_GROUP; g++, at += blockSize) {
                    scales[at] = scaleRow[g];
                }
            }
        }
    }

    /**
     * The keys of a group of {@link SimdLanes#LANES} positions (their head slices at {@code offsets}, the first at
     * a multiple of LANES, positions past the last repeating its offset), as {@code n} columns: column d's LANES
     * values are {@code returned[keyColumnsOffset(offsets[0]) + d * keyColumnStride() ..]}. That is
     * {@link #keyArray} when {@link #keysInPlace}; otherwise {@code columns} ({@code n * LANES}), filled here, with
     * {@code scratch} ({@code LANES * n} floats) for decoded rows. NOTE: in the column layout the lanes past the
     * last position hold whatever the block's later slots hold; their scores are never used.
     */
    float[] keyColumns(int layer, int[] offsets, int n, float[] columns, float[] scratch, int[] scratchOffsets) {
        if (keysInPlace) {
            return keys[layer];
        }
        if (!keyColumnLayout) {
            if (dtype == KvDtype.F32) {
                VectorOps.gatherColumns(keys[layer], offsets, n, columns);
            } else {
                decodeRows(keyHalves, keyQuants, keyScales, layer, offsets, n, scratch);
                VectorOps.gatherColumns(scratch, scratchOffsets, n, columns);
            }
            return columns;
        }
        int at = columnIndex(offsets[0], 1);
        if (dtype == KvDtype.F16) {
            for (int d = 0; d < n; d++, at += blockSize) {
                KvRowCodec.f16Lanes(keyHalves[layer], at).intoArray(columns, d * LANES);
            }
            return columns;
        }
        // Q8_0: a head slice starts on a 32-value group (the head size is a multiple of 32)
        int scaleAt = columnIndex(offsets[0], KvDtype.Q8_0_GROUP);
        FloatVector scales = null;
        for (int d = 0; d < n; d++, at += blockSize) {
            if (d % KvDtype.Q8_0_GROUP == 0) {
                scales = KvRowCodec.f16Lanes(keyScales[layer], scaleAt + d / KvDtype.Q8_0_GROUP * blockSize);
            }
            KvRowCodec.decodeQ8_0Lanes(keyQuants[layer], at, scales, columns, d * LANES);
        }
        return columns;
    }

    /** Whether {@link #keyColumns} returns the store's own array ({@link #keyArray}; F32 column layout). */
    boolean keysInPlace() {
        return keysInPlace;
    }

    /** Layer {@code layer}'s F32 keys in the column layout; only when {@link #keysInPlace}. */
    float[] keyArray(int layer) {
        return keys[layer];
    }

    /**
     * Where column 0 of a {@link #keyColumns} group whose first head slice is at {@code firstOffset} (an
     * {@link #offset} plus the head's) starts in the array it returned.
     */
    int keyColumnsOffset(int firstOffset) {
        return keysInPlace ? columnIndex(firstOffset, 1) : 0;
    }

    /** Floats from one column of {@link #keyColumns} to the next in the array it returned. */
    int keyColumnStride() {
        return keysInPlace ? blockSize : LANES;
    }

    /**
     * In the column layout, where the item of the row at row-major offset {@code rowOffset} lies that holds its
     * element there and the {@code perItem - 1} after it: {@code perItem} 1 for a key value, 32 for a Q8_0 scale.
     */
    private int columnIndex(int rowOffset, int perItem) {
        int blockValues = blockSize * kvDim;
        int block = rowOffset / blockValues;
        int inBlock = rowOffset - block * blockValues;
        int slot = inBlock / kvDim;
        int element = inBlock - slot * kvDim;
        return (block * (kvDim / perItem) + element / perItem) * blockSize + slot;
    }

    /**
     * The array holding the {@code n} values of each of {@link SimdLanes#LANES} value rows at {@code offsets}: the
     * store's own ({@code offsets} apply) or {@code scratch} with the rows decoded at {@code scratchOffsets}
     * ({@code j * n}); {@link #rowOffsets} says which offsets.
     */
    float[] valueRows(int layer, int[] offsets, int n, float[] scratch) {
        if (dtype == KvDtype.F32) {
            return values[layer];
        }
        decodeRows(valueHalves, valueQuants, valueScales, layer, offsets, n, scratch);
        return scratch;
    }

    /** The offsets that go with {@link #valueRows}' array. */
    int[] rowOffsets(int[] offsets, int[] scratchOffsets) {
        return dtype == KvDtype.F32 ? offsets : scratchOffsets;
    }

    private void decodeRows(short[][] halves, byte[][] quants, short[][] scales, int layer, int[] offsets, int n,
                            float[] scratch) {
        for (int j = 0; j < LANES; j++) {
            int off = offsets[j];
            if (dtype == KvDtype.F16) {
                KvRowCodec.decodeF16(halves[layer], off, scratch, j * n, n);
            } else {
                KvRowCodec.decodeQ8_0(quants[layer], off, scales[layer], off / KvDtype.Q8_0_GROUP, scratch, j * n, n);
            }
        }
    }
}
