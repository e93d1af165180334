package io.prefixflow.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.ModelWeights;
import io.prefixflow.runtime.model.RopeStyle;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.ModelRunner;
import java.util.Arrays;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;

/**
 * The Llama forward pass on one NVIDIA GPU, through JCuda's driver API and the kernels of
 * {@code src/main/cuda} (compiled into the jar by nvcc at build time).
 *
 * <p>A step runs as the CPU runner's does: every sequence's new tokens are flattened into one activation
 * matrix, each projection is one GEMM over all of them, and attention reads each sequence's K/V through its
 * block table from one KV pool on the GPU. The step's metadata goes up in one copy (a {@link StepPlan}), the
 * kernels run back to back on the default stream, and only the logits of each sequence's last position
 * come back.
 *
 * <p>Weights live on the GPU in {@link WeightPrecision#BF16} (serving) or {@link WeightPrecision#F32}
 * (exactness against the CPU); activations and the KV pool are F32. There is no fallback: without a usable
 * GPU, driver or kernels, the constructor throws {@link IllegalStateException} saying which.
 *
 * <p>Not thread-safe: one engine thread steps it. Any thread may, since each call makes the GPU's context
 * current first.
 */
public final class CudaModelRunner implements ModelRunner {
    private final ModelConfig config;
    private final int blockSize;
    private final CudaDevice device;
    private final CudaKernels kernels;
    private final DeviceModel model;
    private final DeviceKvPool kv;
    private final WeightPrecision precision;
    private final String attentionKernel;
    private final int attentionSharedBytes;
    private final float attentionScale;
    private DeviceActivations act;

    /**
     * Uploads the weights and allocates the KV pool on GPU {@code deviceOrdinal}.
     *
     * @param config        the model's shape; its {@code contextLength} bounds positions (and sizes the RoPE table)
     * @param weights       the model's weights, any stored type; converted to {@code precision} on upload
     * @param blockSize     tokens per KV block
     * @param numBlocks     KV blocks in the GPU pool
     * @param deviceOrdinal the GPU to use, as CUDA numbers them (in Flink: the index of the assigned GPU)
     * @param precision     how weights are stored on the GPU
     * @throws IllegalStateException when no GPU or driver is usable, the kernels are missing from the jar, or
     *                               the GPU lacks memory for weights plus the KV pool
     */
    public CudaModelRunner(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int deviceOrdinal,
                           WeightPrecision precision) {
        if (blockSize <= 0 || numBlocks <= 0) {
            throw new IllegalArgumentException("blockSize and numBlocks must be positive, got " + blockSize + ", "
                    + numBlocks);
        }
        if (weights.layers().stream().anyMatch(l -> l.qNorm() != null)) {
            throw new IllegalArgumentException("the cuda backend has no per-head Q/K RMSNorm (qwen3 models);"
                    + " run them with --backend cpu");
        }
        this.config = config;
        this.blockSize = blockSize;
        this.precision = precision;
        this.attentionKernel = LaunchGeometry.attentionKernel(config.headSize());
        this.attentionSharedBytes = LaunchGeometry.attentionSharedBytes(config.headSize());
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headSize()));
        KernelImages images = KernelImages.fromClasspath();
        images.requireAll();
        this.device = CudaDevice.open(deviceOrdinal);
        CudaKernels loadedKernels = null;
        DeviceModel uploaded = null;
        try {
            loadedKernels = new CudaKernels(device, images);
            if (attentionSharedBytes > device.maxSharedBytesPerBlock()) {
                throw new IllegalStateException("head size " + config.headSize() + " needs " + attentionSharedBytes
                        + " bytes of shared memory per block; " + device.describe() + " allows "
                        + device.maxSharedBytesPerBlock());
            }
            loadedKernels.allowDynamicSharedMemory(attentionKernel, attentionSharedBytes);
            requireMemory(config, weights, blockSize, numBlocks, precision);
            uploaded = new DeviceModel(config, weights, precision);
            this.kv = new DeviceKvPool(config, blockSize, numBlocks);
        } catch (RuntimeException e) {
            if (uploaded != null) {
                uploaded.close();
            }
            if (loadedKernels != null) {
                loadedKernels.close();
            }
            device.close();
            throw e instanceof CudaException ? new IllegalStateException("starting the cuda backend on "
                    + device.describe() + " failed: " + e.getMessage(), e) : e;
        }
        this.kernels = loadedKernels;
        this.model = uploaded;
    }

    /** Blocks that fit in {@code kvCacheBytes} for this model and block size (F32 K and V, all layers). */
    public static int blocksForBudget(ModelConfig config, int blockSize, long kvCacheBytes) {
        long perBlock = DeviceKvPool.bytesPerBlock(config, blockSize);
        long n = kvCacheBytes / perBlock;
        if (n < 1) {
            throw new IllegalArgumentException("KV cache budget of " + kvCacheBytes + " bytes holds no block of "
                    + blockSize + " tokens (" + perBlock + " bytes each)");
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    private void requireMemory(ModelConfig c, ModelWeights weights, int blockSize, int numBlocks,
                               WeightPrecision precision) {
        long weightBytes = 0;
        weightBytes += (long) weights.tokenEmbedding().rows() * weights.tokenEmbedding().cols();
        if (weights.classifier() != weights.tokenEmbedding()) {
            weightBytes += (long) weights.classifier().rows() * weights.classifier().cols();
        }
        long perLayer = 2L * c.dim() * c.dim() + 2L * c.kvDim() * c.dim() + 3L * c.hiddenDim() * c.dim();
        weightBytes = (weightBytes + perLayer * c.numLayers()) * precision.bytesPerElement();
        long kvBytes = DeviceKvPool.bytesFor(c, blockSize, numBlocks);
        long free = device.freeMemoryBytes();
        if (weightBytes + kvBytes > free) {
            throw new IllegalStateException("the model's weights (" + (weightBytes >> 20) + " MiB in " + precision
                    + ") and a KV pool of " + numBlocks + " blocks (" + (kvBytes >> 20) + " MiB) do not fit in the "
                    + (free >> 20) + " MiB free on " + device.describe() + "; lower the KV cache budget");
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public int numBlocks() {
        return kv.numBlocks();
    }

    /** The GPU this runner uses, in words. */
    public String deviceDescription() {
        return device.describe();
    }

    /** Bytes of weights on the GPU: what a decode step streams at least once. */
    public long weightBytes() {
        return model.weightBytes;
    }

    @Override
    public float[][] forward(ForwardBatch batch) {
        device.makeCurrent();
        StepPlan plan = run(batch);
        int vocab = config.vocabSize();
        float[] flat = new float[plan.numSeqs * vocab];
        act.logits.download(flat, flat.length, 0);
        float[][] out = new float[plan.numSeqs][];
        for (int s = 0; s < plan.numSeqs; s++) {
            out[s] = Arrays.copyOfRange(flat, s * vocab, (s + 1) * vocab);
        }
        return out;
    }

    /**
     * The same step as {@link #forward}, but picks each sequence's greedy next token on the GPU and copies back
     * only the token ids (4 bytes per sequence instead of the vocabulary's logits).
     */
    public int[] forwardGreedy(ForwardBatch batch) {
        device.makeCurrent();
        StepPlan plan = run(batch);
        kernels.launch("argmax_rows", plan.numSeqs, 1, LaunchGeometry.ROW_THREADS, 0,
                new KernelArgs().ptr(act.logits.pointer()).i32(config.vocabSize()).ptr(act.greedy.pointer()));
        int[] tokens = new int[plan.numSeqs];
        act.greedy.download(tokens, tokens.length, 0);
        return tokens;
    }

    /** Blocks until every launched kernel has finished (for timing). */
    public void synchronize() {
        device.makeCurrent();
        cuCtxSynchronize();
    }

    /** Launches the whole step; the logits of each sequence's last position end in {@code act.logits}. */
    private StepPlan run(ForwardBatch batch) {
        StepPlan plan = StepPlan.build(batch, config, blockSize, kv.numBlocks());
        ensureActivations(plan);
        act.plan.upload(plan.packed, plan.length, 0);
        int dim = config.dim();
        int t = plan.numTokens;
        kernels.launch(precision == WeightPrecision.BF16 ? "embed_bf16" : "embed_f32", t, 1,
                LaunchGeometry.ROW_THREADS, 0,
                new KernelArgs().ptr(model.tokenEmbedding.buffer().pointer()).ptr(planAt(plan.tokenIdsOffset))
                        .ptr(act.x.pointer()).i32(dim));
        for (int layer = 0; layer < config.numLayers(); layer++) {
            attentionBlock(layer, model.layers.get(layer), plan);
            feedForwardBlock(model.layers.get(layer), plan);
        }
        rmsnorm(act.x.pointer(), planAt(plan.lastTokenOffset), model.finalNorm.pointer(), act.last.pointer(),
                plan.numSeqs);
        gemm(model.classifier, act.last.pointer(), null, act.logits.pointer(), plan.numSeqs);
        return plan;
    }

    private void attentionBlock(int layer, DeviceModel.Layer w, StepPlan plan) {
        int t = plan.numTokens;
        rmsnorm(act.x.pointer(), null, w.attnNorm().pointer(), act.xb.pointer(), t);
        gemm(w.wq(), act.xb.pointer(), pointerOrNull(w.bq()), act.q.pointer(), t);
        gemm(w.wk(), act.xb.pointer(), pointerOrNull(w.bk()), act.k.pointer(), t);
        gemm(w.wv(), act.xb.pointer(), pointerOrNull(w.bv()), act.v.pointer(), t);
        kernels.launch("rope_apply", t, 1, LaunchGeometry.ROW_THREADS, 0, new KernelArgs()
                .ptr(act.q.pointer()).ptr(act.k.pointer()).ptr(planAt(plan.positionsOffset))
                .ptr(model.ropeCos.pointer()).ptr(model.ropeSin.pointer())
                .i32(config.numHeads()).i32(config.numKvHeads()).i32(config.headSize())
                .i32(config.ropeStyle() == RopeStyle.ADJACENT_PAIRS ? 1 : 0));
        CUdeviceptr keys = kv.buffer().at(kv.keysOffset(layer));
        CUdeviceptr values = kv.buffer().at(kv.valuesOffset(layer));
        kernels.launch("kv_append", t, 1, LaunchGeometry.ROW_THREADS, 0, new KernelArgs()
                .ptr(act.k.pointer()).ptr(act.v.pointer()).ptr(planAt(plan.positionsOffset))
                .ptr(planAt(plan.tokenSeqOffset)).ptr(planAt(plan.seqTableOffsetOffset))
                .ptr(planAt(plan.blockTablesOffset)).ptr(keys).ptr(values).i32(config.kvDim()).i32(blockSize));
        kernels.launch(attentionKernel, plan.numWorkItems, config.numKvHeads(), LaunchGeometry.ATTENTION_THREADS,
                attentionSharedBytes, new KernelArgs()
                        .ptr(act.q.pointer()).ptr(keys).ptr(values).ptr(act.att.pointer())
                        .ptr(planAt(plan.workItemsOffset)).ptr(planAt(plan.seqTokenStartOffset))
                        .ptr(planAt(plan.seqStartPosOffset)).ptr(planAt(plan.seqTableOffsetOffset))
                        .ptr(planAt(plan.blockTablesOffset))
                        .i32(config.numHeads()).i32(config.numKvHeads()).i32(config.headSize()).i32(blockSize)
                        .f32(attentionScale));
        gemm(w.wo(), act.att.pointer(), null, act.xb.pointer(), t);
        residualAdd(act.x.pointer(), act.xb.pointer(), (long) t * config.dim());
    }

    private void feedForwardBlock(DeviceModel.Layer w, StepPlan plan) {
        int t = plan.numTokens;
        rmsnorm(act.x.pointer(), null, w.ffnNorm().pointer(), act.xb.pointer(), t);
        gemm(w.w1(), act.xb.pointer(), null, act.hb.pointer(), t);
        gemm(w.w3(), act.xb.pointer(), null, act.hb2.pointer(), t);
        long hidden = (long) t * config.hiddenDim();
        kernels.launch("swiglu", LaunchGeometry.elementwiseBlocks(hidden), 1, LaunchGeometry.ELEMENTWISE_THREADS, 0,
                new KernelArgs().ptr(act.hb.pointer()).ptr(act.hb2.pointer()).i64(hidden));
        gemm(w.w2(), act.hb.pointer(), null, act.xb.pointer(), t);
        residualAdd(act.x.pointer(), act.xb.pointer(), (long) t * config.dim());
    }

    private void rmsnorm(CUdeviceptr x, CUdeviceptr rowIndex, CUdeviceptr weight, CUdeviceptr out, int rows) {
        kernels.launch("rmsnorm", rows, 1, LaunchGeometry.ROW_THREADS, 0, new KernelArgs()
                .ptr(x).ptr(rowIndex).ptr(weight).ptr(out).i32(config.dim()).f32(config.rmsEps()));
    }

    /** {@code y[m][rows of w] = x[m][cols of w] . w^T (+ bias)}. */
    private void gemm(DeviceMatrix w, CUdeviceptr x, CUdeviceptr bias, CUdeviceptr y, int m) {
        int[] grid = LaunchGeometry.gemmGrid(w.precision(), m, w.rows());
        String kernel = LaunchGeometry.gemmKernel(w.precision(), m);
        kernels.launch(kernel, grid[0], grid[1], LaunchGeometry.gemmThreads(w.precision(), m), 0, new KernelArgs()
                .ptr(x).ptr(w.buffer().pointer()).ptr(bias).ptr(y).i32(m).i32(w.rows()).i32(w.cols()));
    }

    private void residualAdd(CUdeviceptr y, CUdeviceptr x, long count) {
        kernels.launch("residual_add", LaunchGeometry.elementwiseBlocks(count), 1, LaunchGeometry.ELEMENTWISE_THREADS,
                0, new KernelArgs().ptr(y).ptr(x).i64(count));
    }

    private CUdeviceptr planAt(int intOffset) {
        return act.plan.at((long) intOffset * Integer.BYTES);
    }

    private static CUdeviceptr pointerOrNull(DeviceBuffer buffer) {
        return buffer == null ? null : buffer.pointer();
    }

    private void ensureActivations(StepPlan plan) {
        if (act != null && act.fits(plan.numTokens, plan.numSeqs, plan.length)) {
            return;
        }
        int tokens = DeviceActivations.grow(act == null ? 0 : act.capacityTokens, plan.numTokens);
        int seqs = DeviceActivations.grow(act == null ? 0 : act.capacitySeqs, plan.numSeqs);
        int planInts = DeviceActivations.grow(act == null ? 0 : act.capacityPlanInts, plan.length);
        if (act != null) {
            act.close();
            act = null;
        }
        act = new DeviceActivations(config, tokens, seqs, planInts);
    }

    @Override
    public void close() {
        device.makeCurrent();
        if (act != null) {
            act.close();
        }
        kv.close();
        model.close();
        kernels.close();
        device.close();
    }
}
