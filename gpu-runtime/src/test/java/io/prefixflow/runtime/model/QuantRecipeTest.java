package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.tensor.GgmlType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The K-quant mixes and fallbacks against llama.cpp's rules in llama-quant.cpp. */
class QuantRecipeTest {

    @Test
    void useMoreBitsPicksTheLayersLlamaCppPicks() {
        // Llama 3.2 1B: 16 layers -> n/8 = 2, 7n/8 = 14, and (i - 2) % 3 == 2
        assertEquals(List.of(0, 1, 4, 7, 10, 13, 14, 15), moreBitsLayers(16));
        // stories110M: 12 layers -> n/8 = 1, 7n/8 = 10
        assertEquals(List.of(0, 3, 6, 9, 10, 11), moreBitsLayers(12));
        // TinyLlama: 22 layers -> n/8 = 2, 7n/8 = 19
        assertEquals(List.of(0, 1, 4, 7, 10, 13, 16, 19, 20, 21), moreBitsLayers(22));
    }

    @Test
    void q4KmGivesQ6KToOutputAndSomeAttnVAndFfnDown() {
        QuantRecipe r = QuantRecipe.Q4_K_M;
        assertEquals(GgmlType.Q6_K, r.typeFor(TensorRole.OUTPUT, 0, 16, 2048));
        assertEquals(GgmlType.Q4_K, r.typeFor(TensorRole.TOKEN_EMBEDDING, 0, 16, 2048));
        assertEquals(GgmlType.Q6_K, r.typeFor(TensorRole.ATTN_V, 1, 16, 2048));
        assertEquals(GgmlType.Q4_K, r.typeFor(TensorRole.ATTN_V, 2, 16, 2048));
        assertEquals(GgmlType.Q6_K, r.typeFor(TensorRole.FFN_DOWN, 4, 16, 8192));
        assertEquals(GgmlType.Q4_K, r.typeFor(TensorRole.FFN_DOWN, 5, 16, 8192));
        for (TensorRole role : new TensorRole[] {TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_OUTPUT,
            TensorRole.FFN_GATE, TensorRole.FFN_UP}) {
            assertEquals(GgmlType.Q4_K, r.typeFor(role, 0, 16, 2048), role.name());
        }
        assertEquals(GgmlType.Q5_K, QuantRecipe.Q5_K_M.typeFor(TensorRole.ATTN_Q, 0, 16, 2048));
        assertEquals(GgmlType.Q6_K, QuantRecipe.Q5_K_M.typeFor(TensorRole.FFN_DOWN, 15, 16, 8192));
    }

    /** SmolLM2-135M (width 576) and Qwen2.5-0.5B (896): Q4_K_M files are mostly Q5_0 and Q8_0. */
    @Test
    void rowsThatAreNotWhole256BlocksFallBackAsLlamaCpp() {
        QuantRecipe r = QuantRecipe.Q4_K_M;
        assertEquals(GgmlType.Q5_0, r.typeFor(TensorRole.ATTN_Q, 3, 30, 576));
        assertEquals(GgmlType.Q8_0, r.typeFor(TensorRole.ATTN_V, 0, 30, 576));
        assertEquals(GgmlType.Q8_0, r.typeFor(TensorRole.OUTPUT, 0, 30, 576));
        assertEquals(GgmlType.Q5_1, QuantRecipe.Q5_K_M.typeFor(TensorRole.ATTN_Q, 3, 24, 896));
        assertEquals(GgmlType.Q4_K, r.typeFor(TensorRole.FFN_DOWN, 4, 24, 4864), "4864 = 19 * 256");
        assertEquals(GgmlType.Q6_K, r.typeFor(TensorRole.FFN_DOWN, 5, 24, 4864), "(5 - 24/8) % 3 == 2");
        assertEquals(GgmlType.F16, r.typeFor(TensorRole.ATTN_Q, 3, 30, 48));
        assertEquals(GgmlType.Q4_0, QuantRecipe.uniform(GgmlType.Q3_K).typeFor(TensorRole.ATTN_Q, 0, 1, 64));
        assertEquals(GgmlType.Q8_0, QuantRecipe.uniform(GgmlType.Q8_0).typeFor(TensorRole.OUTPUT, 0, 1, 40),
                "32-value types have no fallback: the misfit is reported where the matrix is made");
    }

    @Test
    void parsesTypesAndMixesAndNamesTheAcceptedValues() {
        assertEquals(QuantRecipe.Q4_K_M, QuantRecipe.parse("Q4_K_M"));
        assertEquals(QuantRecipe.Q5_K_M, QuantRecipe.parse("q5_k_m"));
        QuantRecipe q6 = QuantRecipe.parse("q6_k");
        assertFalse(q6.mix());
        assertEquals(GgmlType.Q6_K, q6.typeFor(TensorRole.OUTPUT, 0, 1, 256));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantRecipe.parse("iq2_xs"));
        assertTrue(e.getMessage().contains("q4_k_m") && e.getMessage().contains("q5_1"), e.getMessage());
    }

    private static List<Integer> moreBitsLayers(int n) {
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (QuantRecipe.useMoreBits(i, n)) {
                layers.add(i);
            }
        }
        return layers;
    }
}
