package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tensor.GgmlType;
import java.util.Locale;

/**
 * Which storage type each weight matrix of a model gets: one type for all ({@code q4_k}, {@code f16},
 * ...), or one of llama.cpp's K-quant mixes ({@code q4_k_m}, {@code q5_k_m}) as {@code llama-quant.cpp}
 * assigns them.
 *
 * <p>A mix stores most matrices in its default type (Q4_K or Q5_K) and gives Q6_K to the output matrix
 * (the token embedding when it is tied to the output) and to {@code attn_v} and {@code ffn_down} of the
 * layers where llama.cpp's {@code use_more_bits(i, n)} holds: {@code i < n/8 || i >= 7n/8 ||
 * (i - n/8) % 3 == 2}. An untied token embedding keeps the default type.
 *
 * <p>Whatever the recipe, a matrix whose rows are not a whole number of a K-quant's 256-value blocks
 * falls back as llama.cpp's does: Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0, and to F16 when the row is
 * not a multiple of 32 either; Q2_K and Q3_K fall back to Q4_0 (as current llama.cpp does; older
 * releases chose IQ4_NL, which PrefixFlow does not read); the other types have no fallback.
 *
 * @param name        the {@code --dtype} value, lower case
 * @param defaultType the type of every matrix the mix does not single out
 * @param mix         true for a K-quant mix, false when every matrix is {@code defaultType}
 */
public record QuantRecipe(String name, GgmlType defaultType, boolean mix) {
    /** Q4_K_M: Q4_K, with Q6_K for the output and some layers' attn_v and ffn_down. */
    public static final QuantRecipe Q4_K_M = new QuantRecipe("q4_k_m", GgmlType.Q4_K, true);
    /** Q5_K_M: Q5_K, with Q6_K for the output and some layers' attn_v and ffn_down. */
    public static final QuantRecipe Q5_K_M = new QuantRecipe("q5_k_m", GgmlType.Q5_K, true);

    public QuantRecipe {
        if (name == null || defaultType == null) {
            throw new IllegalArgumentException("a quant recipe needs a name and a default type");
        }
    }

    /** Every matrix in {@code type} (before the block-size fallback). */
    public static QuantRecipe uniform(GgmlType type) {
        return new QuantRecipe(type.name().toLowerCase(Locale.ROOT), type, false);
    }

    /**
     * Parses a {@code --dtype} value: a type name ({@code f32}, {@code q8_0}, {@code q4_k}, ...) or a
     * mix ({@code q4_k_m}, {@code q5_k_m}); case is ignored.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static QuantRecipe parse(String name) {
        for (QuantRecipe mix : new QuantRecipe[] {Q4_K_M, Q5_K_M}) {
            if (mix.name.equalsIgnoreCase(name)) {
                return mix;
            }
        }
        for (GgmlType t : GgmlType.values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return uniform(t);
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of "
                + GgmlType.supportedNames().toLowerCase(Locale.ROOT) + ", " + Q4_K_M.name + ", " + Q5_K_M.name);
    }

    /**
     * The type of the matrix with {@code role} in layer {@code layer} of {@code numLayers} (ignored for
     * the embedding and the output) whose rows hold {@code cols} values.
     */
    public GgmlType typeFor(TensorRole role, int layer, int numLayers, int cols) {
        GgmlType chosen = defaultType;
        if (mix) {
            boolean moreBits = (role == TensorRole.ATTN_V || role == TensorRole.FFN_DOWN) && useMoreBits(layer, numLayers);
            if (role == TensorRole.OUTPUT || moreBits) {
                chosen = GgmlType.Q6_K;
            }
        }
        return fallback(chosen, cols);
    }

    /** llama.cpp's {@code use_more_bits}: the first and last eighth of the layers and every third between. */
    static boolean useMoreBits(int layer, int numLayers) {
        return layer < numLayers / 8 || layer >= 7 * numLayers / 8 || (layer - numLayers / 8) % 3 == 2;
    }

    /**
     * {@code type}, or what llama.cpp stores instead when a row of {@code cols} is not whole blocks of a
     * K-quant. Other types have no fallback (llama.cpp refuses them too): the caller reports the misfit.
     */
    static GgmlType fallback(GgmlType type, int cols) {
        if (cols % type.blockSize() == 0) {
            return type;
        }
        GgmlType instead = switch (type) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            default -> null;
        };
        if (instead == null) {
            return type;
        }
        return cols % instead.blockSize() == 0 ? instead : GgmlType.F16;
    }
}
