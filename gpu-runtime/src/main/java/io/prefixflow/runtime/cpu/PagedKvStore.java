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
        switch (dtype) {
            case F32 -> {
                if (keyColumnLayout) {
                    float[] dst = keys[layer];
                    for (int e = 0, at = columnBase(slot); e < kvDim; e++, at += blockSize) {
                        dst[at] = k[kOff + e];
                    }
                } else {
                    System.arraycopy(k, kOff, keys[layer], slot, kvDim);
                }
                System.arraycopy(v, vOff, values[layer], slot, kvDim);
            }
            case F16 -> {
                if (keyColumnLayout) {
                    KvRowCodec.encodeF16(k, kOff, halfRow, 0, kvDim);
                    short[] dst = keyHalves[layer];
                    for (int e = 0, at = columnBase(slot); e < kvDim; e++, at += blockSize) {
                        dst[at] = halfRow[e];
                    }
                } else {
                    KvRowCodec.encodeF16(k, kOff, keyHalves[layer], slot, kvDim);
                }
                KvRowCodec.encodeF16(v, vOff, valueHalves[layer], slot, kvDim);
            }
            case Q8_0 -> {
                int group = KvDtype.Q8_0_GROUP;
                if (keyColumnLayout) {
                    KvRowCodec.encodeQ8_0(k, kOff, quantRow, 0, scaleRow, 0, kvDim);
                    byte[] quants = keyQuants[layer];
                    for (int e = 0, at = columnBase(slot); e < kvDim; e++, at += blockSize) {
                        quants[at] = quantRow[e];
                    }
                    short[] scales = keyScales[layer];
                    for (int g = 0, at = scaleColumnBase(slot); g < kvDim / group; g++, at += blockSize) {
                        scales[at] = scaleRow[g];
                    }
                } else {
                    KvRowCodec.encodeQ8_0(k, kOff, keyQuants[layer], slot, keyScales[layer], slot / group, kvDim);
                }
                KvRowCodec.encodeQ8_0(v, vOff, valueQuants[layer], slot, valueScales[layer], slot / group, kvDim);
            }
        }
    }

    /**
     * The keys of a group of {@link SimdLanes#LANES} positions (their head slices at {@code offsets}, the first at
     * a multiple of LANES, positions past the last repeating its offset), as {@code n} columns: column d's LANES
     * values are {@code returned[keyColumnsOffset(offsets) + d * keyColumnStride() ..]}. That is the store's own
     * array in the F32 column layout; otherwise {@code columns} ({@code n * LANES}), filled here, with
     * {@code scratch} ({@code LANES * n} floats) for decoded rows. NOTE: in the column layout the lanes past the
     * last position hold whatever the block's later slots hold; their scores are never used.
     */
    float[] keyColumns(int layer, int[] offsets, int n, float[] columns, float[] scratch, int[] scratchOffsets) {
        if (keyColumnLayout) {
            if (dtype == KvDtype.F32) {
                return keys[layer];
            }
            int base = columnBase(offsets[0]);
            if (dtype == KvDtype.F16) {
                for (int d = 0; d < n; d++) {
                    KvRowCodec.decodeF16(keyHalves[layer], base + d * blockSize, columns, d * LANES, LANES);
                }
                return columns;
            }
            // Q8_0: a head slice starts on a 32-value group (the head size is a multiple of 32)
            int scaleBase = scaleColumnBase(offsets[0]);
            FloatVector scales = null;
            for (int d = 0; d < n; d++) {
                if (d % KvDtype.Q8_0_GROUP == 0) {
                    scales = KvRowCodec.f16Lanes(keyScales[layer], scaleBase + d / KvDtype.Q8_0_GROUP * blockSize);
                }
                KvRowCodec.decodeQ8_0Lanes(keyQuants[layer], base + d * blockSize, scales, columns, d * LANES);
            }
            return columns;
        }
        if (dtype == KvDtype.F32) {
            VectorOps.gatherColumns(keys[layer], offsets, n, columns);
            return columns;
        }
        decodeRows(keyHalves, keyQuants, keyScales, layer, offsets, n, scratch);
        VectorOps.gatherColumns(scratch, scratchOffsets, n, columns);
        return columns;
    }

    /** Whether {@link #keyColumns} returns the store's own array (F32 column layout): no copy per group. */
    boolean keysInPlace() {
        return keyColumnLayout && dtype == KvDtype.F32;
    }

    /** Where column 0 of {@link #keyColumns}' group starts in the array it returned. */
    int keyColumnsOffset(int[] offsets) {
        return keyColumnLayout && dtype == KvDtype.F32 ? columnBase(offsets[0]) : 0;
    }

    /** Floats from one column of {@link #keyColumns} to the next in the array it returned. */
    int keyColumnStride() {
        return keyColumnLayout && dtype == KvDtype.F32 ? blockSize : LANES;
    }

    /**
     * Where, in the column layout, the Q8_0 scale of the 32-value group that starts at row-major offset
     * {@code rowOffset} lies.
     */
    private int scaleColumnBase(int rowOffset) {
        int blockValues = blockSize * kvDim;
        int block = rowOffset / blockValues;
        int inBlock = rowOffset - block * blockValues;
        int slot = inBlock / kvDim;
        int group = (inBlock - slot * kvDim) / KvDtype.Q8_0_GROUP;
        return (block * (kvDim / KvDtype.Q8_0_GROUP) + group) * blockSize + slot;
    }

    /** Where, in the column layout, element 0 of the K row whose row-major offset is {@code rowOffset} lies. */
    private int columnBase(int rowOffset) {
        int blockValues = blockSize * kvDim;
        int block = rowOffset / blockValues;
        int inBlock = rowOffset - block * blockValues;
        int slot = inBlock / kvDim;
        int element = inBlock - slot * kvDim;
        return (block * kvDim + element) * blockSize + slot;
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
