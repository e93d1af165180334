package io.prefixflow.runtime.cuda;

/**
 * Grid and block sizes for the kernels, and the tile constants they are built with.
 *
 * <p>NOTE: the tile constants mirror the {@code #define}s of {@code src/main/cuda/gemm.cu} and
 * {@code attention.cu}; change both together.
 */
final class LaunchGeometry {
    /** Output tile of {@code gemm_bf16_wmma} (rows x columns) and its threads per block. */
    static final int GEMM_BF16_TILE_M = 64;
    static final int GEMM_BF16_TILE_N = 64;
    static final int GEMM_BF16_THREADS = 128;
    /** Output tile of {@code gemm_bf16_wmma_skinny}, used for at most this many rows, and its threads per block. */
    static final int GEMM_SKINNY_TILE_M = 16;
    static final int GEMM_SKINNY_TILE_N = 16;
    static final int GEMM_SKINNY_THREADS = 32;
    /** Output tile of {@code gemm_f32} and its threads per block. */
    static final int GEMM_F32_TILE_M = 64;
    static final int GEMM_F32_TILE_N = 64;
    static final int GEMM_F32_THREADS = 256;

    /** Attention: query rows (token x head-in-group pairs) per block, keys per tile, threads per block. */
    static final int ATTENTION_ROWS_PER_BLOCK = 16;
    static final int ATTENTION_KEY_TILE = 32;
    static final int ATTENTION_THREADS = 128;
    /** Largest head size an attention entry point exists for. */
    static final int MAX_HEAD_SIZE = 256;

    /** Threads per block of the row kernels (norm, embedding, RoPE, KV append, argmax). */
    static final int ROW_THREADS = 256;
    /** Threads per block and the most blocks of the grid-stride elementwise kernels. */
    static final int ELEMENTWISE_THREADS = 256;
    static final int ELEMENTWISE_MAX_BLOCKS = 4096;

    private LaunchGeometry() {
    }

    /** Blocks in x (over output columns n) and y (over rows m) for a projection of {@code m x n} outputs. */
    static int[] gemmGrid(WeightPrecision precision, int m, int n) {
        if (skinny(precision, m)) {
            return new int[] {ceilDiv(n, GEMM_SKINNY_TILE_N), ceilDiv(m, GEMM_SKINNY_TILE_M)};
        }
        int tileM = precision == WeightPrecision.BF16 ? GEMM_BF16_TILE_M : GEMM_F32_TILE_M;
        int tileN = precision == WeightPrecision.BF16 ? GEMM_BF16_TILE_N : GEMM_F32_TILE_N;
        return new int[] {ceilDiv(n, tileN), ceilDiv(m, tileM)};
    }

    /**
     * The projection kernel for {@code m} rows: with BF16 weights the one-warp 16 x 16 tile for a decode-sized
     * step (it computes every output with the same operations as the 64 x 64 one, see gemm.cu), else the wide
     * tile; {@code gemm_f32} for F32 weights.
     */
    static String gemmKernel(WeightPrecision precision, int m) {
        if (skinny(precision, m)) {
            return "gemm_bf16_wmma_skinny";
        }
        return precision == WeightPrecision.BF16 ? "gemm_bf16_wmma" : "gemm_f32";
    }

    static int gemmThreads(WeightPrecision precision, int m) {
        if (skinny(precision, m)) {
            return GEMM_SKINNY_THREADS;
        }
        return precision == WeightPrecision.BF16 ? GEMM_BF16_THREADS : GEMM_F32_THREADS;
    }

    private static boolean skinny(WeightPrecision precision, int m) {
        return precision == WeightPrecision.BF16 && m <= GEMM_SKINNY_TILE_M;
    }

    /** The attention entry point for {@code headSize}: one per register budget of ceil(headSize / 32) dims per lane. */
    static String attentionKernel(int headSize) {
        if (headSize <= 0 || headSize > MAX_HEAD_SIZE) {
            throw new IllegalArgumentException("the CUDA attention kernel supports head sizes 1.." + MAX_HEAD_SIZE
                    + ", got " + headSize);
        }
        int dimsPerLane = ceilDiv(headSize, 32);
        int variant = dimsPerLane <= 1 ? 32 : dimsPerLane <= 2 ? 64 : dimsPerLane <= 4 ? 128 : 256;
        return "paged_attention_d" + variant;
    }

    /** Dynamic shared memory of one attention block: q tile, padded K tile, V tile, all F32. */
    static int attentionSharedBytes(int headSize) {
        return Float.BYTES * (ATTENTION_ROWS_PER_BLOCK * headSize
                + ATTENTION_KEY_TILE * (headSize + 1)
                + ATTENTION_KEY_TILE * headSize);
    }

    /** Blocks needed by attention for a chunk of {@code numTokens} new tokens with {@code groupSize} query heads per KV head. */
    static int attentionTiles(int numTokens, int groupSize) {
        return ceilDiv(numTokens * groupSize, ATTENTION_ROWS_PER_BLOCK);
    }

    /** Blocks of a grid-stride elementwise kernel over {@code count} values. */
    static int elementwiseBlocks(long count) {
        long blocks = (count + ELEMENTWISE_THREADS - 1) / ELEMENTWISE_THREADS;
        return (int) Math.max(1, Math.min(blocks, ELEMENTWISE_MAX_BLOCKS));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
