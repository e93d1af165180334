package io.prefixflow.runtime.model;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.file.Path;

/**
 * Builds the tokenizer that goes with a model file. {@link ModelLoader} takes one so that the loaders do
 * not depend on the tokenizer implementations; the application passes the real one.
 */
public interface TokenizerFactory {
    /** The tokenizer described by a GGUF file's {@code tokenizer.ggml.*} metadata. */
    Tokenizer fromGguf(GgufFile gguf);

    /** The tokenizer in a llama2.c {@code tokenizer.bin} file. */
    Tokenizer fromLlama2cFile(Path tokenizerFile);

    /** A factory that builds no tokenizer (returns null): for running on token ids only, and for tests. */
    static TokenizerFactory none() {
        return new TokenizerFactory() {
            @Override
            public Tokenizer fromGguf(GgufFile gguf) {
                return null;
            }

            @Override
            public Tokenizer fromLlama2cFile(Path tokenizerFile) {
                return null;
            }
        };
    }
}
