package io.prefixflow.runtime.model;

/** What a weight matrix is for, as llama.cpp's quantization recipes tell tensors apart. */
public enum TensorRole {
    /** {@code token_embd.weight} when the model has a separate output matrix. */
    TOKEN_EMBEDDING,
    /** {@code output.weight}, or the token embedding when it doubles as the output (tied). */
    OUTPUT,
    ATTN_Q,
    ATTN_K,
    ATTN_V,
    ATTN_OUTPUT,
    FFN_GATE,
    FFN_DOWN,
    FFN_UP
}
