package io.prefixflow.runtime.model;

import static io.prefixflow.runtime.model.TinyGguf.DIM;
import static io.prefixflow.runtime.model.TinyGguf.KV_DIM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.format.GgufTestWriter;
import io.prefixflow.runtime.tensor.WeightMatrix;
import io.prefixflow.runtime.testing.SharedData;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufModelLoaderTest {
    @TempDir
    Path dir;

    private Path write(GgufTestWriter writer) {
        return writer.write(dir.resolve("model.gguf"));
    }

    private static Model load(Path file) {
        GgufFile gguf = GgufFile.open(file);
        try {
            return GgufModelLoader.load(gguf, null);
        } finally {
            gguf.close();
        }
    }

    private ModelFormatException loadFails(GgufTestWriter writer) {
        Path file = write(writer);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void loadsStories260KAsTheGgufStoresIt() {
        Model model = load(SharedData.model("stories260K.gguf"));
        ModelConfig c = model.config();
        assertEquals(64, c.dim());
        assertEquals(172, c.hiddenDim());
        assertEquals(5, c.numLayers());
        assertEquals(8, c.numHeads());
        assertEquals(4, c.numKvHeads());
        assertEquals(512, c.vocabSize());
        assertEquals(128, c.contextLength(), "the converter writes its default context length, not the model's");
        assertEquals(1e-5f, c.rmsEps());
        assertEquals(10_000f, c.ropeTheta());
        assertEquals(RopeStyle.ADJACENT_PAIRS, c.ropeStyle());
        assertEquals(Set.of(1, 2), model.stopTokenIds());
        assertNull(model.chatTemplate());
        assertEquals("stories260K.gguf", model.name());
        assertNotSame(model.weights().tokenEmbedding(), model.weights().classifier(),
                "the converter stores output.weight as its own copy");
    }

    @Test
    void llamaWithoutOutputWeightTiesTheClassifierToTheEmbedding() {
        Model model = load(write(TinyGguf.model("llama")));
        assertSame(model.weights().tokenEmbedding(), model.weights().classifier());
        assertEquals(TinyGguf.VOCAB, model.config().vocabSize());
        assertEquals(1e-6f, model.config().rmsEps());
        assertNull(model.weights().layers().get(0).bq());
    }

    @Test
    void readsMatricesRowMajorFromInnermostFirstDims() {
        Model model = load(write(TinyGguf.model("llama")));
        WeightMatrix wk = model.weights().layers().get(0).wk();
        assertEquals(KV_DIM, wk.rows());
        assertEquals(DIM, wk.cols());
        float[] row = new float[DIM];
        wk.copyRow(3, row, 0);
        float[] stored = TinyGguf.values(KV_DIM * DIM, 3); // blk.0.attn_k.weight has salt 3
        for (int c = 0; c < DIM; c++) {
            assertEquals(stored[3 * DIM + c], row[c]);
        }
    }

    @Test
    void mistralLoadsLikeLlama() {
        Model model = load(write(TinyGguf.model("mistral")));
        assertEquals(RopeStyle.ADJACENT_PAIRS, model.config().ropeStyle());
        assertEquals(TinyGguf.LAYERS, model.weights().layers().size());
    }

    @Test
    void qwen2HasBiasesHalvesRopeAndItsFreqBase() {
        Model model = load(write(TinyGguf.qwen2()));
        assertEquals(RopeStyle.HALVES, model.config().ropeStyle());
        assertEquals(1_000_000f, model.config().ropeTheta());
        LayerWeights layer1 = model.weights().layers().get(1);
        assertArrayEquals(TinyGguf.values(DIM, 101), layer1.bq());
        assertArrayEquals(TinyGguf.values(KV_DIM, 201), layer1.bk());
        assertArrayEquals(TinyGguf.values(KV_DIM, 301), layer1.bv());
    }

    @Test
    void qwen3HasPerHeadQkNormsNoBiasesAndHalvesRope() {
        Model model = load(write(TinyGguf.qwen3()));
        assertEquals(RopeStyle.HALVES, model.config().ropeStyle());
        assertEquals(1_000_000f, model.config().ropeTheta());
        LayerWeights layer1 = model.weights().layers().get(1);
        assertArrayEquals(TinyGguf.normWeights(401), layer1.qNorm());
        assertArrayEquals(TinyGguf.normWeights(501), layer1.kNorm());
        assertNull(layer1.bq());
        assertNull(load(write(TinyGguf.qwen2())).weights().layers().get(0).qNorm());
    }

    @Test
    void qwen3WithoutItsKNormIsAMissingTensorError() {
        ModelFormatException e = loadFails(TinyGguf.qwen3().remove("blk.0.attn_k_norm.weight"));
        assertTrue(e.getMessage().contains("missing tensor 'blk.0.attn_k_norm.weight'"), e.getMessage());
    }

    /** A layout the engine would not apply is an error, not silently ignored weights. */
    @Test
    void perHeadNormsInALlamaFileAreAnError() {
        ModelFormatException e = loadFails(TinyGguf.model("llama")
                .f32Tensor("blk.1.attn_q_norm.weight", TinyGguf.normWeights(1), DIM / TinyGguf.HEADS));
        assertTrue(e.getMessage().contains("'blk.1.attn_q_norm.weight'") && e.getMessage().contains("qwen3"),
                e.getMessage());
    }

    @Test
    void qwen2WithoutBiasIsAMissingTensorError() {
        ModelFormatException e = loadFails(TinyGguf.qwen2().remove("blk.1.attn_k.bias"));
        assertTrue(e.getMessage().contains("missing tensor 'blk.1.attn_k.bias'"), e.getMessage());
    }

    @Test
    void f16NormsAndBiasesAreConverted() {
        float[] norm = TinyGguf.values(DIM, 42);
        float[] bias = TinyGguf.values(KV_DIM, 43);
        Model model = load(write(TinyGguf.qwen2()
                .f16Tensor("output_norm.weight", norm, DIM)
                .f16Tensor("blk.0.attn_v.bias", bias, KV_DIM)));
        assertArrayEquals(norm, model.weights().finalNorm());
        assertArrayEquals(bias, model.weights().layers().get(0).bv());
    }

    @Test
    void headCountKvDefaultsToHeadCount() {
        GgufTestWriter w = TinyGguf.model("llama").remove("llama.attention.head_count_kv");
        for (int l = 0; l < TinyGguf.LAYERS; l++) {
            w.f32Tensor("blk." + l + ".attn_k.weight", new float[DIM * DIM], DIM, DIM);
            w.f32Tensor("blk." + l + ".attn_v.weight", new float[DIM * DIM], DIM, DIM);
        }
        assertEquals(TinyGguf.HEADS, load(write(w)).config().numKvHeads());
    }

    @Test
    void chatTemplateAndEotAreRead() {
        Model model = load(write(TinyGguf.model("llama")
                .put("tokenizer.chat_template", "{{ messages }}")
                .put("tokenizer.ggml.eot_token_id", 7)));
        assertEquals("{{ messages }}", model.chatTemplate());
        assertEquals(Set.of(1, 2, 7), model.stopTokenIds());
    }

    @Test
    void tokenIdMeaningNoneIsNotAStopToken() {
        Model model = load(write(TinyGguf.model("llama").put("tokenizer.ggml.eos_token_id", 0xFFFF_FFFF)));
        assertEquals(Set.of(1), model.stopTokenIds());
    }

    @Test
    void unsupportedArchitectureNamesItAndTheSupportedOnes() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").put("general.architecture", "gemma"));
        assertTrue(e.getMessage().contains("'gemma'"), e.getMessage());
        assertTrue(e.getMessage().contains("llama, mistral, qwen2, qwen3"), e.getMessage());
    }

    @Test
    void missingTensorIsNamed() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").remove("blk.1.ffn_up.weight"));
        assertTrue(e.getMessage().contains("missing tensor 'blk.1.ffn_up.weight'"), e.getMessage());
    }

    @Test
    void missingMetadataIsNamed() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").remove("llama.block_count"));
        assertTrue(e.getMessage().contains("'llama.block_count'"), e.getMessage());
    }

    @Test
    void shapeMismatchNamesTensorExpectedAndActualDims() {
        ModelFormatException e = loadFails(TinyGguf.model("llama")
                .f32Tensor("blk.0.attn_k.weight", new float[DIM * DIM], DIM, DIM));
        assertTrue(e.getMessage().contains("'blk.0.attn_k.weight' has dims [32, 32], expected [32, 16]"),
                e.getMessage());
    }

    @Test
    void transposedMatrixIsAShapeMismatch() {
        ModelFormatException e = loadFails(TinyGguf.model("llama")
                .f32Tensor("blk.1.ffn_down.weight", new float[DIM * TinyGguf.HIDDEN], DIM, TinyGguf.HIDDEN));
        assertTrue(e.getMessage().contains("'blk.1.ffn_down.weight' has dims [32, 48], expected [48, 32]"),
                e.getMessage());
    }

    @Test
    void normOfAQuantizedTypeIsAnError() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").tensor("output_norm.weight", 8, new byte[34], DIM));
        assertTrue(e.getMessage().contains("'output_norm.weight' has type Q8_0, expected F32 or F16"), e.getMessage());
    }

    @Test
    void quantizedRowsMustBeWholeBlocks() {
        int numBlocks = TinyGguf.HIDDEN * DIM / 32;
        ModelFormatException e = loadFails(TinyGguf.model("llama")
                .tensor("blk.0.ffn_down.weight", 8, new byte[numBlocks * 34], TinyGguf.HIDDEN, DIM));
        assertTrue(e.getMessage().contains("'blk.0.ffn_down.weight' has rows of 48 values"), e.getMessage());
    }

    @Test
    void inconsistentHeadCountIsAnError() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").put("llama.attention.head_count_kv", 3));
        assertTrue(e.getMessage().contains("inconsistent hyperparameters"), e.getMessage());
    }

    @Test
    void partialRotaryIsRejected() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").put("llama.rope.dimension_count", 4));
        assertTrue(e.getMessage().contains("llama.rope.dimension_count"), e.getMessage());
    }

    @Test
    void ropeFrequencyFactorsAreLoaded() {
        float[] factors = {1f, 2f, 4f, 8f};
        Model model = load(write(TinyGguf.model("llama").f32Tensor("rope_freqs.weight", factors, 4)));
        assertArrayEquals(factors, model.weights().ropeFreqFactors());
    }

    @Test
    void ropeFrequencyFactorsOfTheWrongLengthAreAnError() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").f32Tensor("rope_freqs.weight", new float[3], 3));
        assertTrue(e.getMessage().contains("rope_freqs.weight"), e.getMessage());
    }

    @Test
    void mixtureOfExpertsIsRejected() {
        ModelFormatException e = loadFails(TinyGguf.model("llama").put("llama.expert_count", 8));
        assertTrue(e.getMessage().contains("mixture-of-experts"), e.getMessage());
    }

    @Test
    void tokenizerLargerThanTheEmbeddingIsAnError() {
        Path file = write(TinyGguf.model("llama"));
        GgufFile gguf = GgufFile.open(file);
        try {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> GgufModelLoader.load(gguf, new StubTokenizer(TinyGguf.VOCAB + 1)));
            assertTrue(e.getMessage().contains("17 tokens"), e.getMessage());
        } finally {
            gguf.close();
        }
    }
}
