package io.prefixflow.runtime.cpu;

import io.prefixflow.runtime.kernel.SimdLanes;
import io.prefixflow.runtime.kernel.VectorOps;
import io.prefixflow.runtime.model.LayerWeights;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.ModelWeights;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.KvDtype;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.tensor.ActivationRounding;
import io.prefixflow.runtime.tensor.WeightMatrix;
import java.util.Arrays;
import java.util.List;

/**
 * The Llama forward pass on the CPU: Vector API kernels, threads over matrix rows and attention heads,
 * K/V in paged blocks.
 *
 * <p>A step flattens every sequence's new tokens into one activation matrix {@code [numTokens][dim]}, so
 * each weight matrix is streamed once per step for the whole batch. Everything per token (norms, RoPE,
 * attention through the sequence's block table) is computed independently of the other rows, and the
 * matrix kernels are batch-invariant, so a sequence's logits do not depend on its batch mates.
 */
public final class CpuModelRunner implements ModelRunner {
    /** Below this many multiply-adds a matrix product runs on the calling thread alone. */
    private static final long MIN_PARALLEL_WORK = 1L << 15;
    /** Row chunks are multiples of this, so a register-tiled kernel sees whole tiles. */
    private static final int ROW_ALIGN = 16;
    /** Queries of one sequence that attend together, sharing each key and value row read. */
    private static final int QUERY_TILE = 16;
    private static final int LANES = SimdLanes.LANES;

    private final ModelConfig config;
    private final ModelWeights weights;
    private final PagedKvStore kv;
    private final RopeTable rope;
    private final WorkerPool pool;
    private final float attentionScale;
    private final ActivationRounding rounding;

    private ActivationBuffers buffers;

    /**
     * @param config       the model's shape; its {@code contextLength} bounds positions
     * @param weights      the model's weights
     * @param blockSize    tokens per KV block
     * @param numBlocks    KV blocks to hold
     * @param numThreads   threads for the matrix products and attention, the caller included
     */
    public CpuModelRunner(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int numThreads) {
        this(config, weights, blockSize, numBlocks, numThreads, ActivationRounding.NONE);
    }

    /**
     * @param rounding how activations are rounded before each matrix product ({@link ActivationRounding#GGML}:
     *                 as llama.cpp's CPU backend does)
     */
    public CpuModelRunner(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int numThreads,
                          ActivationRounding rounding) {
        this(config, weights, blockSize, numBlocks, numThreads, rounding, KvDtype.F32);
    }

    /** @param kvDtype how the KV cache is stored */
    public CpuModelRunner(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int numThreads,
                          ActivationRounding rounding, KvDtype kvDtype) {
        if (blockSize <= 0 || numBlocks <= 0) {
            throw new IllegalArgumentException("blockSize and numBlocks must be positive, got " + blockSize + ", "
                    + numBlocks);
        }
        this.config = config;
        this.weights = weights;
        this.kv = new PagedKvStore(config, blockSize, numBlocks, kvDtype);
        this.rope = new RopeTable(config, config.contextLength(), weights.ropeFreqFactors());
        this.pool = new WorkerPool(numThreads);
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headSize()));
        this.rounding = java.util.Objects.requireNonNull(rounding, "rounding");
    }

    /** Blocks that fit in {@code kvCacheBytes} for this model and block size, stored as F32. */
    public static int blocksForBudget(ModelConfig config, int blockSize, long kvCacheBytes) {
        return blocksForBudget(config, blockSize, kvCacheBytes, KvDtype.F32);
    }

    /** Blocks that fit in {@code kvCacheBytes} for this model and block size, stored as {@code kvDtype}. */
    public static int blocksForBudget(ModelConfig config, int blockSize, long kvCacheBytes, KvDtype kvDtype) {
        long perBlock = PagedKvStore.bytesPerBlock(config, blockSize, kvDtype);
        long n = kvCacheBytes / perBlock;
        if (n < 1) {
            throw new IllegalArgumentException("KV cache budget of " + kvCacheBytes + " bytes holds no block of "
                    + blockSize + " tokens (" + perBlock + " bytes each as " + kvDtype.cliName() + ")");
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public int blockSize() {
        return kv.blockSize();
    }

    @Override
    public int numBlocks() {
        return kv.numBlocks();
    }

    @Override
    public float[][] forward(ForwardBatch batch) {
        List<SequenceChunk> seqs = batch.sequences();
        int numTokens = batch.totalTokens();
        int numSeqs = seqs.size();
        ActivationBuffers b = buffersFor(numTokens, numSeqs);
        int t = 0;
        for (int s = 0; s < numSeqs; s++) {
            SequenceChunk chunk = validate(seqs.get(s), s);
            for (int i = 0; i < chunk.tokenIds().length; i++, t++) {
                b.tokenSequence[t] = s;
                b.tokenPosition[t] = chunk.startPosition() + i;
                weights.tokenEmbedding().copyRow(chunk.tokenIds()[i], b.x, t * config.dim());
            }
            b.lastToken[s] = t - 1;
        }
        for (int layer = 0; layer < config.numLayers(); layer++) {
            attentionBlock(layer, weights.layers().get(layer), seqs, numTokens, b);
            feedForwardBlock(weights.layers().get(layer), numTokens, b);
        }
        return logits(seqs, b);
    }

    private SequenceChunk validate(SequenceChunk chunk, int index) {
        if (chunk.endPosition() > config.contextLength()) {
            throw new IllegalArgumentException("sequence " + index + " reaches position " + chunk.endPosition()
                    + ", beyond the context length " + config.contextLength());
        }
        int blocksNeeded = (chunk.endPosition() + kv.blockSize() - 1) / kv.blockSize();
        if (chunk.blockTable().length < blocksNeeded) {
            throw new IllegalArgumentException("sequence " + index + " needs " + blocksNeeded
                    + " blocks for position " + (chunk.endPosition() - 1) + " but its block table has "
                    + chunk.blockTable().length);
        }
        for (int i = 0; i < blocksNeeded; i++) {
            int block = chunk.blockTable()[i];
            if (block < 0 || block >= kv.numBlocks()) {
                throw new IllegalArgumentException("sequence " + index + " block table entry " + i + " = " + block
                        + " is outside [0, " + kv.numBlocks() + ")");
            }
        }
        for (int token : chunk.tokenIds()) {
            if (token < 0 || token >= config.vocabSize()) {
                throw new IllegalArgumentException("sequence " + index + " has token id " + token
                        + " outside the vocabulary [0, " + config.vocabSize() + ")");
            }
        }
        return chunk;
    }

    /** Qwen3's per-head RMSNorm: each of {@code numHeads} heads at {@code v[off ..]} in place, one weight for all. */
    private void normalizeHeads(float[] v, int off, int numHeads, float[] weight) {
        int headSize = config.headSize();
        for (int h = 0; h < numHeads; h++) {
            VectorOps.rmsnorm(v, off + h * headSize, v, off + h * headSize, weight, 0, headSize, config.rmsEps());
        }
    }

    private void attentionBlock(int layer, LayerWeights w, List<SequenceChunk> seqs, int numTokens,
                                ActivationBuffers b) {
        int dim = config.dim();
        int kvDim = config.kvDim();
        for (int t = 0; t < numTokens; t++) {
            VectorOps.rmsnorm(b.xb, t * dim, b.x, t * dim, w.attnNorm(), 0, dim, config.rmsEps());
        }
        matmul(w.wq(), b.xb, dim, numTokens, b.q, dim);
        matmul(w.wk(), b.xb, dim, numTokens, b.k, kvDim);
        matmul(w.wv(), b.xb, dim, numTokens, b.v, kvDim);
        for (int t = 0; t < numTokens; t++) {
            if (w.bq() != null) {
                VectorOps.add(b.q, t * dim, w.bq(), 0, dim);
                VectorOps.add(b.k, t * kvDim, w.bk(), 0, kvDim);
                VectorOps.add(b.v, t * kvDim, w.bv(), 0, kvDim);
            }
            if (w.qNorm() != null) {
                normalizeHeads(b.q, t * dim, config.numHeads(), w.qNorm());
                normalizeHeads(b.k, t * kvDim, config.numKvHeads(), w.kNorm());
            }
            int position = b.tokenPosition[t];
            rope.rotate(b.q, t * dim, config.numHeads(), position);
            rope.rotate(b.k, t * kvDim, config.numKvHeads(), position);
            int slot = kv.offset(seqs.get(b.tokenSequence[t]).blockTable(), position);
            kv.write(layer, slot, b.k, t * kvDim, b.v, t * kvDim);
        }
        int numHeads = config.numHeads();
        int numTiles = queryTiles(numTokens, b);
        parallel(numTiles * numHeads, 1, (long) numTokens * numHeads * config.headSize() * 64,
                (start, end, worker) -> {
                    for (int item = start; item < end; item++) {
                        attendTile(item / numHeads, item % numHeads, layer, seqs, b, worker);
                    }
                });
        matmul(w.wo(), b.att, dim, numTokens, b.xb, dim);
        VectorOps.add(b.x, 0, b.xb, 0, numTokens * dim);
    }

    /**
     * Splits the step's tokens into query tiles: runs of up to {@value #QUERY_TILE} consecutive tokens of one
     * sequence (a prefill chunk makes whole tiles, a decode token a tile of one). Returns their number; tile i is
     * tokens {@code [tileStart[i], tileStart[i + 1])}.
     */
    private static int queryTiles(int numTokens, ActivationBuffers b) {
        int numTiles = 0;
        for (int t = 0; t < numTokens; t++) {
            if (t == 0 || b.tokenSequence[t] != b.tokenSequence[t - 1] || t - b.tileStart[numTiles - 1] == QUERY_TILE) {
                b.tileStart[numTiles++] = t;
            }
        }
        b.tileStart[numTiles] = numTokens;
        return numTiles;
    }

    /**
     * One head's attention for a tile of queries of one sequence: key-major, so each key and value row is read
     * once for the whole tile instead of once per query (at 4,096 tokens of prompt the per-query sweep read the
     * KV from memory again for every query and cost more than the matrix products). Every query's values are
     * computed exactly as alone: the same dot product per key, softmax over its own row, then one axpy per key
     * in position order.
     */
    private void attendTile(int tile, int head, int layer, List<SequenceChunk> seqs, ActivationBuffers b,
                            int worker) {
        int t0 = b.tileStart[tile];
        int t1 = b.tileStart[tile + 1];
        int dim = config.dim();
        int headSize = config.headSize();
        int kvHeadOffset = (head / config.groupSize()) * headSize;
        int rowStride = scoreRowStride(config);
        int[] blockTable = seqs.get(b.tokenSequence[t0]).blockTable();
        float[] scores = b.scores[worker];
        int maxPosition = 0;
        for (int t = t0; t < t1; t++) {
            maxPosition = Math.max(maxPosition, b.tokenPosition[t]);
        }
        // scores LANES keys at a time: the keys' head slices transposed once per tile, then per query one FMA
        // per dimension across the keys (no lane sum per key)
        int[] keyOffsets = b.keyOffsets[worker];
        float[] columns = b.keyColumns[worker];
        int firstGroup = scoreQueryAlone(t0, t1, head, layer, maxPosition, blockTable, kvHeadOffset, b, worker);
        for (int g = firstGroup; g <= maxPosition; g += LANES) {
            groupOffsets(blockTable, g, maxPosition, kvHeadOffset, keyOffsets);
            float[] keyArray = kv.keyColumns(layer, keyOffsets, headSize, columns, b.decodedRows[worker],
                    b.decodedOffsets);
            int keysOff = kv.keyColumnsOffset(keyOffsets[0]);
            int keyStride = kv.keyColumnStride();
            // positions rise within a tile, so the queries that see key g are its last ones; four at a time
            int t = t0;
            while (t < t1 && b.tokenPosition[t] < g) {
                t++;
            }
            for (; t + 4 <= t1; t += 4) {
                VectorOps.dotColumnsQueries4(b.q, t * dim + head * headSize, dim, keyArray, keysOff, keyStride,
                        headSize, attentionScale, scores, (t - t0) * rowStride + g, rowStride);
            }
            for (; t < t1; t++) {
                VectorOps.dotColumns(b.q, t * dim + head * headSize, keyArray, keysOff, keyStride, headSize,
                        attentionScale, scores, (t - t0) * rowStride + g);
            }
        }
        for (int t = t0; t < t1; t++) {
            VectorOps.softmax(scores, (t - t0) * rowStride, b.tokenPosition[t] + 1);
            int out = t * dim + head * headSize;
            Arrays.fill(b.att, out, out + headSize, 0f);
        }
        // values LANES keys at a time, each query's output kept in registers across them (same FMAs, same order)
        for (int g = 0; g <= maxPosition; g += LANES) {
            groupOffsets(blockTable, g, maxPosition, kvHeadOffset, keyOffsets);
            float[] rows = kv.valueRows(layer, keyOffsets, headSize, b.decodedRows[worker]);
            int[] rowOffsets = kv.rowOffsets(keyOffsets, b.decodedOffsets);
            for (int t = t0; t < t1; t++) {
                int count = Math.min(LANES, b.tokenPosition[t] - g + 1);
                if (count > 0) {
                    VectorOps.axpyRows(b.att, t * dim + head * headSize, scores, (t - t0) * rowStride + g, rows,
                            rowOffsets, count, headSize);
                }
            }
        }
    }

    /**
     * The scores of a tile of one query (decode) over whole runs of four groups of keys, four independent FMA
     * chains per pass ({@link VectorOps#dotColumns4}, the same bits as {@link VectorOps#dotColumns}); returns the
     * first position left to score. Only for keys stored as columns in place, else returns 0.
     */
    private int scoreQueryAlone(int t0, int t1, int head, int layer, int maxPosition, int[] blockTable,
                                int kvHeadOffset, ActivationBuffers b, int worker) {
        if (t1 - t0 != 1 || !kv.keysInPlace()) {
            return 0;
        }
        int headSize = config.headSize();
        float[] keys = kv.keyArray(layer);
        int qOff = t0 * config.dim() + head * headSize;
        float[] scores = b.scores[worker];
        int g = 0;
        for (; g + 4 * LANES - 1 <= maxPosition; g += 4 * LANES) {
            VectorOps.dotColumns4(b.q, qOff, keys, keysAt(blockTable, g, kvHeadOffset),
                    keysAt(blockTable, g + LANES, kvHeadOffset), keysAt(blockTable, g + 2 * LANES, kvHeadOffset),
                    keysAt(blockTable, g + 3 * LANES, kvHeadOffset), kv.keyColumnStride(), headSize,
                    attentionScale, scores, g);
        }
        return g;
    }

    /** Where the in-place key columns of the group starting at position {@code g} begin. */
    private int keysAt(int[] blockTable, int g, int kvHeadOffset) {
        return kv.keyColumnsOffset(kv.offset(blockTable, g) + kvHeadOffset);
    }

    /**
     * Where the head slices of positions {@code g .. g + LANES - 1} start in the K (or V) pool; positions past
     * {@code maxPosition} repeat its offset, so a group is always whole.
     */
    private void groupOffsets(int[] blockTable, int g, int maxPosition, int kvHeadOffset, int[] offsets) {
        int last = Math.min(g + LANES - 1, maxPosition);
        if (kv.sameBlock(g, last)) {
            // one block lookup for the group (a division per position cost as much as a decode's scores)
            int first = kv.offset(blockTable, g) + kvHeadOffset;
            int kvDim = config.kvDim();
            for (int j = 0; j < LANES; j++) {
                offsets[j] = first + Math.min(j, last - g) * kvDim;
            }
            return;
        }
        for (int j = 0; j < LANES; j++) {
            offsets[j] = kv.offset(blockTable, Math.min(g + j, maxPosition)) + kvHeadOffset;
        }
    }

    /** A score row's length: the context rounded up to whole groups of LANES keys (a group writes LANES scores). */
    private static int scoreRowStride(ModelConfig c) {
        return (c.contextLength() + LANES - 1) / LANES * LANES;
    }

    private void feedForwardBlock(LayerWeights w, int numTokens, ActivationBuffers b) {
        int dim = config.dim();
        int hidden = config.hiddenDim();
        for (int t = 0; t < numTokens; t++) {
            VectorOps.rmsnorm(b.xb, t * dim, b.x, t * dim, w.ffnNorm(), 0, dim, config.rmsEps());
        }
        matmul(w.w1(), b.xb, dim, numTokens, b.hb, hidden);
        matmul(w.w3(), b.xb, dim, numTokens, b.hb2, hidden);
        VectorOps.swiglu(b.hb, 0, b.hb, 0, b.hb2, 0, numTokens * hidden);
        matmul(w.w2(), b.hb, hidden, numTokens, b.xb, dim);
        VectorOps.add(b.x, 0, b.xb, 0, numTokens * dim);
    }

    private float[][] logits(List<SequenceChunk> seqs, ActivationBuffers b) {
        int dim = config.dim();
        int numSeqs = seqs.size();
        for (int s = 0; s < numSeqs; s++) {
            VectorOps.rmsnorm(b.last, s * dim, b.x, b.lastToken[s] * dim, weights.finalNorm(), 0, dim,
                    config.rmsEps());
        }
        int vocab = config.vocabSize();
        matmul(weights.classifier(), b.last, dim, numSeqs, b.logits, vocab);
        float[][] out = new float[numSeqs][];
        for (int s = 0; s < numSeqs; s++) {
            out[s] = Arrays.copyOfRange(b.logits, s * vocab, (s + 1) * vocab);
        }
        return out;
    }

    /** {@code y[t][0..rows) = W · x[t]} for every token, rows split over the threads. */
    private void matmul(WeightMatrix w, float[] x, int xStride, int numTokens, float[] y, int yStride) {
        float[] input = x;
        if (rounding.applies(w.type())) {
            ActivationRounding.roundRows(w.type(), x, xStride, numTokens, w.cols(), buffers.rounded);
            input = buffers.rounded;
        }
        float[] in = input;
        int rows = w.rows();
        long work = (long) rows * w.cols() * numTokens;
        int chunk = Math.max(ROW_ALIGN, (rows / (pool.numThreads() * 8)) / ROW_ALIGN * ROW_ALIGN);
        parallel(rows, chunk, work, (start, end, worker) -> w.matmul(in, xStride, numTokens, y, yStride, start, end));
    }

    private void parallel(int numItems, int chunk, long work, WorkerPool.RangeBody body) {
        if (work < MIN_PARALLEL_WORK) {
            body.run(0, numItems, 0);
        } else {
            pool.parallelFor(numItems, chunk, body);
        }
    }

    private ActivationBuffers buffersFor(int numTokens, int numSeqs) {
        if (buffers == null) {
            buffers = new ActivationBuffers(numTokens, numSeqs, config, pool.numThreads());
        } else if (numTokens > buffers.capacityTokens || numSeqs > buffers.capacitySeqs) {
            buffers = new ActivationBuffers(Math.max(numTokens, buffers.capacityTokens),
                    Math.max(numSeqs, buffers.capacitySeqs), config, pool.numThreads());
        }
        return buffers;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Scratch activations for up to {@code capacityTokens} tokens of {@code capacitySeqs} sequences. */
    private static final class ActivationBuffers {
        final int capacityTokens;
        final int capacitySeqs;
        final int[] tokenSequence;
        final int[] tokenPosition;
        final int[] lastToken;
        final float[] x;    // (tokens, dim) residual stream
        final float[] xb;   // (tokens, dim) normed input / block output
        final float[] q;    // (tokens, dim)
        final float[] k;    // (tokens, kvDim)
        final float[] v;    // (tokens, kvDim)
        final float[] att;  // (tokens, dim) attention output before wo
        final float[] hb;   // (tokens, hiddenDim)
        final float[] hb2;  // (tokens, hiddenDim)
        final float[] last; // (seqs, dim) normed last positions
        final float[] logits; // (seqs, vocab)
        final float[][] scores; // (threads, QUERY_TILE * scoreRowStride) a query tile's score rows
        final int[][] keyOffsets; // (threads, LANES) where the keys of one score group start
        final float[][] keyColumns; // (threads, headSize * LANES) those keys' head slices, transposed
        final float[][] decodedRows; // (threads, LANES * headSize) a group's K or V head slices, decoded (F16, Q8_0)
        final int[] decodedOffsets; // (LANES) where each decoded row starts: j * headSize
        final int[] tileStart;  // (tokens + 1) first token of each query tile
        final float[] rounded; // (tokens, max(dim, hiddenDim)) a product's rounded input, ActivationRounding.GGML

        ActivationBuffers(int capacityTokens, int capacitySeqs, ModelConfig c, int numThreads) {
            this.capacityTokens = capacityTokens;
            this.capacitySeqs = capacitySeqs;
            int dim = c.dim();
            int kvDim = c.kvDim();
            int hidden = c.hiddenDim();
            int vocab = c.vocabSize();
            tokenSequence = new int[capacityTokens];
            tokenPosition = new int[capacityTokens];
            lastToken = new int[capacitySeqs];
            x = new float[capacityTokens * dim];
            xb = new float[capacityTokens * dim];
            q = new float[capacityTokens * dim];
            k = new float[capacityTokens * kvDim];
            v = new float[capacityTokens * kvDim];
            att = new float[capacityTokens * dim];
            hb = new float[capacityTokens * hidden];
            hb2 = new float[capacityTokens * hidden];
            last = new float[capacitySeqs * dim];
            logits = new float[capacitySeqs * vocab];
            scores = new float[numThreads][QUERY_TILE * scoreRowStride(c)];
            keyOffsets = new int[numThreads][LANES];
            keyColumns = new float[numThreads][c.headSize() * LANES];
            decodedRows = new float[numThreads][LANES * c.headSize()];
            decodedOffsets = new int[LANES];
            for (int j = 0; j < LANES; j++) {
                decodedOffsets[j] = j * c.headSize();
            }
            tileStart = new int[capacityTokens + 1];
            rounded = new float[Math.max(capacityTokens, capacitySeqs) * Math.max(dim, hidden)];
        }
    }
}
