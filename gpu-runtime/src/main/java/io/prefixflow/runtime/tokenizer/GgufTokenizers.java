package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.model.ModelFormatException;

/**
 * Builds the tokenizer a GGUF file describes, chosen by {@code tokenizer.ggml.model}:
 * {@code llama} gives a {@link SpmTokenizer}, {@code gpt2} a {@link Gpt2BpeTokenizer}.
 *
 * <pre>{@code
 * GgufFile gguf = GgufFile.open(path);
 * Tokenizer tokenizer = GgufTokenizers.fromGguf(gguf);
 * int[] ids = tokenizer.encode("Once upon a time", true);
 * }</pre>
 */
public final class GgufTokenizers {
    static final String MODEL_KEY = "tokenizer.ggml.model";

    private GgufTokenizers() {
    }

    /** The file's tokenizer; missing or unsupported metadata is a {@link ModelFormatException} naming the key. */
    public static Tokenizer fromGguf(GgufFile file) {
        String model = file.getString(MODEL_KEY);
        return switch (model) {
            case "llama" -> SpmTokenizer.fromGguf(file);
            case "gpt2" -> Gpt2BpeTokenizer.fromGguf(file);
            default -> throw new ModelFormatException(file.path(), MODEL_KEY + " = '" + model
                    + "' is not supported (supported: 'llama' (SentencePiece BPE), 'gpt2' (byte-level BPE))");
        };
    }

    static boolean flag(GgufFile file, String key, boolean defaultValue) {
        return file.has(key) ? file.get(key, Boolean.class) : defaultValue;
    }
}
