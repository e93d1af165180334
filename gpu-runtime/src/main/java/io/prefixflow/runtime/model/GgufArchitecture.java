package io.prefixflow.runtime.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The GGUF {@code general.architecture} values PrefixFlow runs, and what differs between them. */
enum GgufArchitecture {
    // NOTE: llama.cpp's converter permutes HF Q/K weights so that its llama arch rotates adjacent pairs.
    LLAMA("llama", RopeStyle.ADJACENT_PAIRS, false, false),
    MISTRAL("mistral", RopeStyle.ADJACENT_PAIRS, false, false),
    QWEN2("qwen2", RopeStyle.HALVES, true, false),
    /** Qwen3: no Q/K/V biases, an RMSNorm over each query and key head before RoPE. */
    QWEN3("qwen3", RopeStyle.HALVES, false, true);

    private final String ggufName;
    private final RopeStyle ropeStyle;
    private final boolean hasQkvBias;
    private final boolean hasQkNorm;

    GgufArchitecture(String ggufName, RopeStyle ropeStyle, boolean hasQkvBias, boolean hasQkNorm) {
        this.ggufName = ggufName;
        this.ropeStyle = ropeStyle;
        this.hasQkvBias = hasQkvBias;
        this.hasQkNorm = hasQkNorm;
    }

    String ggufName() {
        return ggufName;
    }

    RopeStyle ropeStyle() {
        return ropeStyle;
    }

    boolean hasQkvBias() {
        return hasQkvBias;
    }

    /** True when each layer has {@code attn_q_norm} and {@code attn_k_norm}: per-head RMSNorm weights. */
    boolean hasQkNorm() {
        return hasQkNorm;
    }

    /** The architecture called {@code name}, or null. */
    static GgufArchitecture byName(String name) {
        for (GgufArchitecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    static String supportedNames() {
        return Arrays.stream(values()).map(GgufArchitecture::ggufName).collect(Collectors.joining(", "));
    }
}
