package io.prefixflow.runtime.tokenizer;

/** The kind of a vocabulary entry, as GGUF's {@code tokenizer.ggml.token_type} numbers them. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** The type stored as {@code gguf} in the file, or {@code null} for a number GGUF does not define. */
    static TokenType fromGguf(long gguf) {
        return gguf >= 0 && gguf < values().length ? values()[(int) gguf] : null;
    }
}
