package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.model.TokenizerFactory;
import java.nio.file.Path;

/** The tokenizers PrefixFlow ships: GGUF metadata vocabularies and llama2.c tokenizer files. */
public final class DefaultTokenizerFactory implements TokenizerFactory {
    @Override
    public Tokenizer fromGguf(GgufFile gguf) {
        return GgufTokenizers.fromGguf(gguf);
    }

    @Override
    public Tokenizer fromLlama2cFile(Path tokenizerFile) {
        return Llama2cTokenizer.load(tokenizerFile);
    }
}
