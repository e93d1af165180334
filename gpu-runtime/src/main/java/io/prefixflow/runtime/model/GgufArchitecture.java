package io.prefixflow.runtime.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The GGUF {@code general.architecture} values PrefixFlow runs, and what differs between them. */
enum GgufArchitecture {
    // NOTE: llama.cpp's converter permutes HF Q/K weights so that its llama arch rotates adjacent pairs.
    LLAMA("llama", RopeStyle.ADJACENT_PAIRS, false),
    MISTRAL("mistral", RopeStyle.ADJACENT_PAIRS, false),
    QWEN2("qwen2", RopeStyle.HALVES, true);

    private final String ggufName;
    private final RopeStyle ropeStyle;
    private final boolean hasQkvBias;

    GgufArchitecture(String ggufName, RopeStyle ropeStyle, boolean hasQkvBias) {
        this.ggufName = ggufName;
        this.ropeStyle = ropeStyle;
        this.hasQkvBias = hasQkvBias;
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
