package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.tensor.GgmlType;
import io.prefixflow.runtime.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DummyModelsTest {
    @Test
    void sameSeedGivesTheSameWeights() {
        Model a = DummyModels.create(DummyShape.TINY, GgmlType.F32, 7);
        Model b = DummyModels.create(DummyShape.TINY, GgmlType.F32, 7);
        List<WeightMatrix> ma = matrices(a);
        List<WeightMatrix> mb = matrices(b);
        for (int i = 0; i < ma.size(); i++) {
            assertArrayEquals(values(ma.get(i)), values(mb.get(i)), "matrix " + i);
        }
    }

    @Test
    void otherSeedGivesOtherWeights() {
        float[] a = values(DummyModels.create(DummyShape.TINY, GgmlType.F32, 7).weights().tokenEmbedding());
        float[] b = values(DummyModels.create(DummyShape.TINY, GgmlType.F32, 8).weights().tokenEmbedding());
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void matricesDifferFromEachOther() {
        List<WeightMatrix> m = matrices(DummyModels.create("tiny", GgmlType.F32));
        float[] wq0 = values(m.get(1));
        float[] wo0 = values(m.get(4));
        assertFalse(Arrays.equals(wq0, wo0), "every tensor needs its own random stream");
    }

    @Test
    void valuesAreRoughlyNormalWithStd002AndNormsAreOne() {
        Model model = DummyModels.create("tiny", GgmlType.F32);
        float[] v = values(model.weights().layers().get(1).w1());
        double sum = 0;
        double sumSquares = 0;
        for (float x : v) {
            sum += x;
            sumSquares += (double) x * x;
        }
        double mean = sum / v.length;
        double std = Math.sqrt(sumSquares / v.length - mean * mean);
        assertEquals(0, mean, 0.001);
        assertEquals(DummyModels.WEIGHT_STD, std, 0.001);
        float[] ones = new float[model.config().dim()];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, model.weights().finalNorm());
        assertArrayEquals(ones, model.weights().layers().get(0).attnNorm());
        assertArrayEquals(ones, model.weights().layers().get(0).ffnNorm());
    }

    @Test
    void tinyModelHasItsShapeNoTokenizerAndNoStopTokens() {
        Model model = DummyModels.create("tiny", GgmlType.F32);
        assertEquals("dummy:tiny", model.name());
        assertEquals(DummyShape.TINY.config(), model.config());
        assertNull(model.tokenizer());
        assertTrue(model.stopTokenIds().isEmpty());
        assertSame(model.weights().tokenEmbedding(), model.weights().classifier());
        LayerWeights layer = model.weights().layers().get(0);
        assertEquals(32, layer.wk().rows());
        assertEquals(64, layer.wk().cols());
        assertEquals(64, layer.w2().rows());
        assertEquals(192, layer.w2().cols());
        assertEquals(GgmlType.F32, layer.wq().type());
    }

    @Test
    void llama110mHasTheStories110MParameterCount() {
        assertEquals(109_529_856L, DummyShape.LLAMA_110M.parameterCount());
        Model model = DummyModels.create("llama-110m", GgmlType.F32);
        long count = model.weights().finalNorm().length;
        for (WeightMatrix m : matrices(model)) {
            count += (long) m.rows() * m.cols();
        }
        for (LayerWeights l : model.weights().layers()) {
            count += l.attnNorm().length + l.ffnNorm().length;
        }
        assertEquals(109_529_856L, count);
    }

    @Test
    void llama1bHasTheLlama32Shape() {
        ModelConfig c = DummyShape.LLAMA_1B.config();
        assertEquals(2048, c.dim());
        assertEquals(8192, c.hiddenDim());
        assertEquals(16, c.numLayers());
        assertEquals(32, c.numHeads());
        assertEquals(8, c.numKvHeads());
        assertEquals(128_256, c.vocabSize());
        assertEquals(500_000f, c.ropeTheta());
        assertEquals(1_235_814_400L, DummyShape.LLAMA_1B.parameterCount());
    }

    @Test
    void unknownShapeListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DummyModels.create("llama-7b", GgmlType.F32));
        assertTrue(e.getMessage().contains("'llama-7b'"), e.getMessage());
        assertTrue(e.getMessage().contains("tiny, llama-110m, llama-1b"), e.getMessage());
    }

    @Test
    void rowsThatAreNotWholeBlocksOfTheDtypeAreRejected() {
        DummyShape odd = new DummyShape("odd",
                new ModelConfig(48, 96, 1, 4, 4, 64, 64, 1e-5f, 10_000f, RopeStyle.ADJACENT_PAIRS), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DummyModels.create(odd, GgmlType.Q8_0, 1));
        assertTrue(e.getMessage().contains("48 values") && e.getMessage().contains("Q8_0"), e.getMessage());
    }

    /**
     * Q4_K_M on an untied 8-layer shape whose widths are whole 256-value blocks: Q6_K output, Q4_K
     * embedding, Q6_K attn_v and ffn_down where use_more_bits holds (layers 0, 3, 6 and 7 of 8), Q4_K
     * elsewhere; and the same values as F32 weights within Q4_K's error.
     */
    @Test
    void q4KmMixFollowsLlamaCppRecipe() {
        DummyShape shape = new DummyShape("k256",
                new ModelConfig(256, 512, 8, 4, 2, 300, 64, 1e-5f, 10_000f, RopeStyle.ADJACENT_PAIRS), false);
        Model model = DummyModels.create(shape, QuantRecipe.Q4_K_M, 3);
        assertEquals(GgmlType.Q6_K, model.weights().classifier().type());
        assertEquals(GgmlType.Q4_K, model.weights().tokenEmbedding().type());
        List<Integer> moreBits = List.of(0, 3, 6, 7);
        for (int l = 0; l < 8; l++) {
            LayerWeights layer = model.weights().layers().get(l);
            GgmlType expected = moreBits.contains(l) ? GgmlType.Q6_K : GgmlType.Q4_K;
            assertEquals(expected, layer.wv().type(), "attn_v of layer " + l);
            assertEquals(expected, layer.w2().type(), "ffn_down of layer " + l);
            for (WeightMatrix m : List.of(layer.wq(), layer.wk(), layer.wo(), layer.w1(), layer.w3())) {
                assertEquals(GgmlType.Q4_K, m.type(), "layer " + l);
            }
        }
        float[] exact = values(DummyModels.create(shape, GgmlType.F32, 3).weights().layers().get(1).wq());
        float[] quantized = values(model.weights().layers().get(1).wq());
        double sumSquaredError = 0;
        double sumSquares = 0;
        for (int i = 0; i < exact.length; i++) {
            sumSquaredError += (double) (quantized[i] - exact[i]) * (quantized[i] - exact[i]);
            sumSquares += (double) exact[i] * exact[i];
        }
        // 4-bit quants of a range of about 6 sigma: rms error ~ 6 / 15 / sqrt(12) = 0.12 sigma
        assertTrue(sumSquaredError / sumSquares < 0.03, "relative squared error " + sumSquaredError / sumSquares);
    }

    /**
     * Width 64 is no whole K-quant block: Q5_K_M falls back to Q5_1, and its Q6_K matrices (the tied
     * output, and of 2 layers only layer 1, as 7n/8 = 1) to Q8_0.
     */
    @Test
    void mixOnTinyFallsBackTo32ValueTypes() {
        Model model = DummyModels.create("tiny", QuantRecipe.Q5_K_M);
        assertEquals(GgmlType.Q8_0, model.weights().classifier().type());
        assertEquals(GgmlType.Q5_1, model.weights().layers().get(0).wq().type());
        assertEquals(GgmlType.Q5_1, model.weights().layers().get(0).wv().type());
        assertEquals(GgmlType.Q8_0, model.weights().layers().get(1).wv().type());
        assertEquals(GgmlType.Q8_0, model.weights().layers().get(1).w2().type());
        assertEquals(GgmlType.Q5_1, model.weights().layers().get(1).w1().type());
    }

    /** Embedding, then per layer wq, wk, wv, wo, w1, w2, w3 (the shared classifier is not repeated). */
    private static List<WeightMatrix> matrices(Model model) {
        List<WeightMatrix> list = new ArrayList<>();
        list.add(model.weights().tokenEmbedding());
        for (LayerWeights l : model.weights().layers()) {
            list.addAll(List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w2(), l.w3()));
        }
        return list;
    }

    private static float[] values(WeightMatrix m) {
        float[] all = new float[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.copyRow(r, all, r * m.cols());
        }
        return all;
    }
}
