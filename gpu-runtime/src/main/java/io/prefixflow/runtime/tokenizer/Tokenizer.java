package io.prefixflow.runtime.tokenizer;

/**
 * Text to token ids and back, following the rules of the implementation the model came from
 * (llama2.c's run.c for llama2.c checkpoints, llama.cpp for GGUF files).
 */
public interface Tokenizer {
    /** Encodes a prompt; {@code addBos} prepends the BOS token. Never appends EOS. */
    int[] encode(String text, boolean addBos);

    /**
     * The bytes token {@code token} prints as when it follows {@code prevToken} (byte-fallback pieces
     * give their raw byte; a piece right after BOS may lose its leading space, as the source
     * implementation does). Bytes, not a String: one character may span several tokens.
     */
    byte[] decode(int prevToken, int token);

    int vocabSize();

    /**
     * The exact bytes {@code token} adds to running text (after any token but BOS), or null when it never
     * prints text of its own: control, unknown and unused tokens, placeholders. Structured output builds
     * its token masks from these, so a token whose bytes are null is never allowed there.
     */
    default byte[] textBytes(int token) {
        byte[] bytes = decode(-1, token);
        return bytes.length == 0 ? null : bytes;
    }

    /** Whether a prompt starts with BOS by the model's own rules (GGUF's {@code add_bos_token}; run.c always). */
    default boolean addBosByDefault() {
        return true;
    }

    int bosId();

    /** End-of-sequence id, or -1 when the vocabulary has none. */
    int eosId();
}
