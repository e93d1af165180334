package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.RopeStyle;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paged attention kernel alone against a float64 CPU reference, on random queries and a random KV pool:
 * one batch mixes a prefill chunk that continues a cached prefix, a decode token whose first blocks are the
 * chunk's (shared blocks), a prefill from position 0 and a decode at position 0; block ids are shuffled.
 */
@Tag("gpu")
class PagedAttentionKernelTest {
    private static final int BLOCK_SIZE = 16;
    private static final int NUM_BLOCKS = 24;
    private static final double TOLERANCE = 1e-5;

    @BeforeEach
    void requireGpu() {
        GpuTestSupport.assumeGpu();
    }

    @ParameterizedTest(name = "heads {0}, kv heads {1}, head size {2}")
    @CsvSource({"4, 4, 8", "8, 4, 8", "8, 2, 64", "32, 8, 64", "4, 1, 128", "2, 2, 256", "6, 3, 40"})
    void matchesTheReference(int numHeads, int numKvHeads, int headSize) {
        ModelConfig config = new ModelConfig(numHeads * headSize, 64, 1, numHeads, numKvHeads, 100, 512, 1e-5f,
                10_000f, RopeStyle.ADJACENT_PAIRS);
        SplittableRandom random = new SplittableRandom(numHeads * 1000L + headSize);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < NUM_BLOCKS; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new java.util.Random(random.nextLong()));
        int[] prefillTable = {ids.get(0), ids.get(1), ids.get(2), ids.get(3)};                   // positions 0..63
        int[] sharingTable = {ids.get(0), ids.get(1), ids.get(4)};                               // shares 2 blocks
        int[] freshTable = {ids.get(5)};
        int[] decodeZeroTable = {ids.get(6)};
        ForwardBatch batch = new ForwardBatch(List.of(
                new SequenceChunk(new int[37], 20, prefillTable),       // positions 20..56 over a cached 0..19
                new SequenceChunk(new int[1], 40, sharingTable),        // decode at 40: blocks 0, 1 shared
                new SequenceChunk(new int[5], 0, freshTable),           // prefill from 0
                new SequenceChunk(new int[1], 0, decodeZeroTable)));    // first token of a sequence
        StepPlan plan = StepPlan.build(batch, config, BLOCK_SIZE, NUM_BLOCKS);

        int kvDim = config.kvDim();
        int dim = config.dim();
        float[] keys = randoms(random, NUM_BLOCKS * BLOCK_SIZE * kvDim);
        float[] values = randoms(random, NUM_BLOCKS * BLOCK_SIZE * kvDim);
        float[] q = randoms(random, plan.numTokens * dim);
        float scale = (float) (1.0 / Math.sqrt(headSize));

        float[] got = new float[plan.numTokens * dim];
        try (CudaDevice device = CudaDevice.open(0);
             CudaKernels kernels = new CudaKernels(device, KernelImages.fromClasspath());
             DeviceBuffer kBuf = new DeviceBuffer((long) keys.length * 4);
             DeviceBuffer vBuf = new DeviceBuffer((long) values.length * 4);
             DeviceBuffer qBuf = new DeviceBuffer((long) q.length * 4);
             DeviceBuffer outBuf = new DeviceBuffer((long) got.length * 4);
             DeviceBuffer planBuf = new DeviceBuffer((long) plan.length * 4)) {
            kBuf.upload(keys, keys.length, 0);
            vBuf.upload(values, values.length, 0);
            qBuf.upload(q, q.length, 0);
            planBuf.upload(plan.packed, plan.length, 0);
            GpuTestSupport.poison(outBuf);
            String kernel = LaunchGeometry.attentionKernel(headSize);
            int shared = LaunchGeometry.attentionSharedBytes(headSize);
            kernels.allowDynamicSharedMemory(kernel, shared);
            kernels.launch(kernel, plan.numWorkItems, numKvHeads, LaunchGeometry.ATTENTION_THREADS, shared,
                    new KernelArgs().ptr(qBuf.pointer()).ptr(kBuf.pointer()).ptr(vBuf.pointer()).ptr(outBuf.pointer())
                            .ptr(planBuf.at(4L * plan.workItemsOffset)).ptr(planBuf.at(4L * plan.seqTokenStartOffset))
                            .ptr(planBuf.at(4L * plan.seqStartPosOffset))
                            .ptr(planBuf.at(4L * plan.seqTableOffsetOffset))
                            .ptr(planBuf.at(4L * plan.blockTablesOffset))
                            .i32(numHeads).i32(numKvHeads).i32(headSize).i32(BLOCK_SIZE).f32(scale));
            outBuf.download(got, got.length, 0);
        }

        double[] want = reference(batch, config, keys, values, q, scale);
        double error = GpuTestSupport.relativeMaxError(got, want);
        assertTrue(error < TOLERANCE, "relative max error " + error);
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return out;
    }

    /** Softmax attention in float64, every token over positions 0..its own through its block table. */
    private static double[] reference(ForwardBatch batch, ModelConfig c, float[] keys, float[] values, float[] q,
                                      float scale) {
        int dim = c.dim();
        int hs = c.headSize();
        double[] out = new double[batch.totalTokens() * dim];
        int t = 0;
        for (SequenceChunk chunk : batch.sequences()) {
            for (int i = 0; i < chunk.tokenIds().length; i++, t++) {
                int pos = chunk.startPosition() + i;
                for (int h = 0; h < c.numHeads(); h++) {
                    int kvHead = h / c.groupSize();
                    double[] scores = new double[pos + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int p = 0; p <= pos; p++) {
                        int base = slot(chunk.blockTable(), p, c) + kvHead * hs;
                        double dot = 0;
                        for (int d = 0; d < hs; d++) {
                            dot += (double) q[t * dim + h * hs + d] * keys[base + d];
                        }
                        scores[p] = dot * scale;
                        max = Math.max(max, scores[p]);
                    }
                    double sum = 0;
                    for (int p = 0; p <= pos; p++) {
                        scores[p] = Math.exp(scores[p] - max);
                        sum += scores[p];
                    }
                    for (int p = 0; p <= pos; p++) {
                        int base = slot(chunk.blockTable(), p, c) + kvHead * hs;
                        for (int d = 0; d < hs; d++) {
                            out[t * dim + h * hs + d] += scores[p] / sum * values[base + d];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int slot(int[] table, int position, ModelConfig c) {
        return (table[position / BLOCK_SIZE] * BLOCK_SIZE + position % BLOCK_SIZE) * c.kvDim();
    }
}
