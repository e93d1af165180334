package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.format.GgufTestWriter;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU forward pass applies qwen3's per-head Q/K RMSNorm. Its signature: queries and keys are
 * normalized per head, so scaling {@code attn_q} and {@code attn_k} by a constant leaves the logits
 * unchanged (up to the epsilon inside the norm), while the same scaling changes a model without the norms,
 * and changing the norm weights changes the logits.
 */
class Qwen3ForwardTest {
    private static final int[] PROMPT = {1, 5, 7, 3, 9, 12};
    private static final int BLOCK_SIZE = 16;

    @TempDir
    Path dir;

    @Test
    void queryAndKeyScaleIsNormalizedAway() {
        float[] base = logits(TinyGguf.qwen3(), "base");
        float[] scaled = logits(scaleQk(TinyGguf.qwen3(), 4f), "scaled");
        assertTrue(maxRelativeDifference(base, scaled) < 1e-3,
                "qwen3 logits moved by " + maxRelativeDifference(base, scaled) + " when Q and K were scaled");

        float[] plain = logits(TinyGguf.model("llama"), "plain");
        float[] plainScaled = logits(scaleQk(TinyGguf.model("llama"), 4f), "plainScaled");
        assertTrue(maxRelativeDifference(plain, plainScaled) > 1e-2,
                "without the norms the same scaling should change the logits; moved "
                        + maxRelativeDifference(plain, plainScaled));
    }

    @Test
    void normWeightsAreApplied() {
        float[] base = logits(TinyGguf.qwen3(), "base");
        float[] other = logits(TinyGguf.qwen3()
                .f32Tensor("blk.0.attn_q_norm.weight", TinyGguf.normWeights(77), TinyGguf.DIM / TinyGguf.HEADS), "other");
        assertTrue(maxRelativeDifference(base, other) > 1e-3, "changing attn_q_norm left the logits as they were");
    }

    /** The writer with every layer's attn_q and attn_k multiplied by {@code factor} (a power of two: exact). */
    private static GgufTestWriter scaleQk(GgufTestWriter writer, float factor) {
        for (int l = 0; l < TinyGguf.LAYERS; l++) {
            String b = "blk." + l + ".";
            writer.f32Tensor(b + "attn_q.weight", scaled(TinyGguf.DIM * TinyGguf.DIM, 2 + 9 * l, factor),
                    TinyGguf.DIM, TinyGguf.DIM);
            writer.f32Tensor(b + "attn_k.weight", scaled(TinyGguf.KV_DIM * TinyGguf.DIM, 3 + 9 * l, factor),
                    TinyGguf.DIM, TinyGguf.KV_DIM);
        }
        return writer;
    }

    /** {@link TinyGguf#values} with the salt TinyGguf.model gave that tensor, times {@code factor}. */
    private static float[] scaled(int count, int salt, float factor) {
        float[] v = TinyGguf.values(count, salt);
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return v;
    }

    private float[] logits(GgufTestWriter writer, String name) {
        Path file = writer.write(dir.resolve(name + ".gguf"));
        GgufFile gguf = GgufFile.open(file);
        Model model;
        try {
            model = GgufModelLoader.load(gguf, null);
        } finally {
            gguf.close();
        }
        int blocks = model.config().contextLength() / BLOCK_SIZE;
        int[] table = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            table[i] = i;
        }
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, blocks, 1)) {
            return runner.forward(ForwardBatch.of(new SequenceChunk(PROMPT, 0, table)))[0];
        }
    }

    private static double maxRelativeDifference(float[] a, float[] b) {
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(a[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        return maxDiff / maxAbs;
    }
}
