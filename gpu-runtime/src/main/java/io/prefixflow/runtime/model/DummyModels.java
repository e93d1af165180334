package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tensor.GgmlType;
import io.prefixflow.runtime.tensor.WeightMatrices;
import io.prefixflow.runtime.tensor.WeightMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Models with deterministic random weights ({@code dummy:NAME}) for benchmarks and tests: real shapes,
 * meaningless numbers, no tokenizer and no stop tokens (generations run to their length limit).
 *
 * <p>Matrix values are roughly N(0, 0.02) (a sum of four uniforms, which is fast to draw), norm weights
 * are 1. Each matrix lives in its own direct buffer in the requested storage type, so no buffer exceeds
 * 2 GiB; an F32 {@code llama-1b} needs about 5 GB of direct memory ({@code -XX:MaxDirectMemorySize}).
 *
 * <p>NOTE: values are drawn in chunks of whole rows, each chunk from its own generator seeded by
 * (seed, tensor, chunk). The weights therefore depend only on the seed, never on the thread count, and
 * are the same numbers before encoding whatever the storage type. Chunks are encoded separately and
 * concatenated, which equals encoding the whole matrix because quantization blocks never span rows.
 */
public final class DummyModels {
    public static final long DEFAULT_SEED = 42;
    public static final float WEIGHT_STD = 0.02f;

    private static final int CHUNK_ELEMENTS = 1 << 20;
    /** Four 16-bit uniforms sum to a value of variance 4 * 65536^2 / 12; this scales it to WEIGHT_STD. */
    private static final float IRWIN_HALL_SCALE = (float) (WEIGHT_STD * Math.sqrt(3.0) / 65536.0);
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private DummyModels() {
    }

    /** The dummy model of the known shape called {@code shapeName}, with {@link #DEFAULT_SEED}. */
    public static Model create(String shapeName, GgmlType dtype) {
        return create(shapeName, QuantRecipe.uniform(dtype));
    }

    /** The dummy model of the known shape called {@code shapeName} stored by {@code recipe}, with {@link #DEFAULT_SEED}. */
    public static Model create(String shapeName, QuantRecipe recipe) {
        DummyShape shape = DummyShape.byName(shapeName);
        if (shape == null) {
            throw new IllegalArgumentException("unknown dummy model shape '" + shapeName + "'; known shapes: "
                    + DummyShape.knownNames());
        }
        return create(shape, recipe, DEFAULT_SEED);
    }

    /** A dummy model of {@code shape} whose matrices are stored as {@code dtype}. */
    public static Model create(DummyShape shape, GgmlType dtype, long seed) {
        return create(shape, QuantRecipe.uniform(dtype), seed);
    }

    /**
     * A dummy model of {@code shape} whose matrices are stored as {@code recipe} assigns them (including
     * llama.cpp's fallback for rows that are not whole K-quant blocks).
     */
    public static Model create(DummyShape shape, QuantRecipe recipe, long seed) {
        ModelConfig c = shape.config();
        Generator gen = new Generator(seed);
        int n = c.numLayers();
        TensorRole embeddingRole = shape.sharedClassifier() ? TensorRole.OUTPUT : TensorRole.TOKEN_EMBEDDING;
        WeightMatrix embedding = gen.matrix(recipe.typeFor(embeddingRole, 0, n, c.dim()), c.vocabSize(), c.dim());
        List<LayerWeights> layers = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            WeightMatrix wq = gen.matrix(recipe.typeFor(TensorRole.ATTN_Q, l, n, c.dim()), c.dim(), c.dim());
            WeightMatrix wk = gen.matrix(recipe.typeFor(TensorRole.ATTN_K, l, n, c.dim()), c.kvDim(), c.dim());
            WeightMatrix wv = gen.matrix(recipe.typeFor(TensorRole.ATTN_V, l, n, c.dim()), c.kvDim(), c.dim());
            WeightMatrix wo = gen.matrix(recipe.typeFor(TensorRole.ATTN_OUTPUT, l, n, c.dim()), c.dim(), c.dim());
            WeightMatrix w1 = gen.matrix(recipe.typeFor(TensorRole.FFN_GATE, l, n, c.dim()), c.hiddenDim(), c.dim());
            WeightMatrix w2 = gen.matrix(recipe.typeFor(TensorRole.FFN_DOWN, l, n, c.hiddenDim()), c.dim(),
                    c.hiddenDim());
            WeightMatrix w3 = gen.matrix(recipe.typeFor(TensorRole.FFN_UP, l, n, c.dim()), c.hiddenDim(), c.dim());
            layers.add(new LayerWeights(ones(c.dim()), wq, wk, wv, wo, null, null, null, ones(c.dim()), w1, w2, w3));
        }
        WeightMatrix classifier = shape.sharedClassifier() ? embedding
                : gen.matrix(recipe.typeFor(TensorRole.OUTPUT, 0, n, c.dim()), c.vocabSize(), c.dim());
        ModelWeights weights = new ModelWeights(embedding, layers, ones(c.dim()), classifier);
        return new Model("dummy:" + shape.name(), c, weights, null, Set.of(), null);
    }

    private static float[] ones(int length) {
        float[] v = new float[length];
        Arrays.fill(v, 1f);
        return v;
    }

    /** Draws the matrices in a fixed order; the tensor counter is part of every chunk's seed. */
    private static final class Generator {
        private final long seed;
        private int tensorIndex;

        Generator(long seed) {
            this.seed = seed;
        }

        WeightMatrix matrix(GgmlType dtype, int rows, int cols) {
            if (cols % dtype.blockSize() != 0) {
                throw new IllegalArgumentException("rows of " + cols + " values are not whole " + dtype + " blocks of "
                        + dtype.blockSize());
            }
            long sizeBytes = dtype.bytesFor((long) rows * cols);
            if (sizeBytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a " + rows + " x " + cols + " " + dtype + " matrix is larger than 2 GiB");
            }
            ByteBuffer data = ByteBuffer.allocateDirect((int) sizeBytes).order(ByteOrder.LITTLE_ENDIAN);
            int rowsPerChunk = Math.max(1, CHUNK_ELEMENTS / cols);
            int numChunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
            long tensorSeed = seed * GOLDEN_GAMMA + tensorIndex++;
            IntStream.range(0, numChunks).parallel().forEach(chunk -> {
                int rowStart = chunk * rowsPerChunk;
                int chunkRows = Math.min(rowsPerChunk, rows - rowStart);
                float[] values = draw(tensorSeed * GOLDEN_GAMMA + chunk, chunkRows * cols);
                ByteBuffer encoded = WeightMatrices.encode(dtype, values);
                int expectedBytes = (int) dtype.bytesFor(values.length);
                if (encoded.remaining() != expectedBytes) {
                    throw new IllegalStateException("encoding " + values.length + " values as " + dtype + " gave "
                            + encoded.remaining() + " bytes, expected " + expectedBytes);
                }
                data.put((int) dtype.bytesFor((long) rowStart * cols), encoded, encoded.position(), expectedBytes);
            });
            return WeightMatrices.of(dtype, data, 0, rows, cols);
        }

        private static float[] draw(long chunkSeed, int count) {
            SplittableRandom random = new SplittableRandom(chunkSeed);
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                long r = random.nextLong();
                long sum = (r & 0xFFFF) + ((r >>> 16) & 0xFFFF) + ((r >>> 32) & 0xFFFF) + (r >>> 48);
                values[i] = (sum - 2 * 65535.5f) * IRWIN_HALL_SCALE;
            }
            return values;
        }
    }
}
