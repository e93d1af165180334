package io.prefixflow.runtime.model;

/** Which pairs of a head's dimensions RoPE rotates together. */
public enum RopeStyle {
    /** (0,1), (2,3), ...: llama2.c and llama.cpp's {@code llama} architecture. */
    ADJACENT_PAIRS,
    /** (i, i + headSize/2): GPT-NeoX style, llama.cpp's {@code qwen2}. */
    HALVES
}
