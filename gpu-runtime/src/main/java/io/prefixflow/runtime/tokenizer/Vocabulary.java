package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.model.ModelFormatException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The token table of a GGUF tokenizer: piece text, score and type per id, plus the piece-to-id map.
 *
 * <p>As in llama.cpp, an empty piece is renamed {@code [EMPTY_<id>]} and a duplicated piece maps to its last
 * id. Scores default to 0 and types to {@link TokenType#NORMAL} when the file has none.
 */
record Vocabulary(String[] tokens, float[] scores, TokenType[] types, Map<String, Integer> idByToken) {
    private static final long NO_ID = 0xFFFFFFFFL;

    Vocabulary {
        if (tokens.length == 0 || scores.length != tokens.length || types.length != tokens.length) {
            throw new IllegalArgumentException("vocabulary needs equally many tokens (" + tokens.length
                    + "), scores (" + scores.length + ") and types (" + types.length + ")");
        }
    }

    /** A vocabulary from its parts (tests build small ones this way). */
    static Vocabulary of(String[] tokens, float[] scores, TokenType[] types) {
        String[] named = tokens.clone();
        Map<String, Integer> idByToken = new HashMap<>(named.length * 2);
        for (int id = 0; id < named.length; id++) {
            if (named[id].isEmpty()) {
                named[id] = "[EMPTY_" + id + "]";
            }
            idByToken.put(named[id], id);
        }
        return new Vocabulary(named, scores.clone(), types.clone(), Map.copyOf(idByToken));
    }

    static Vocabulary fromGguf(GgufFile file) {
        String[] tokens = file.get("tokenizer.ggml.tokens", String[].class);
        if (tokens.length == 0) {
            throw new ModelFormatException(file.path(), "tokenizer.ggml.tokens is empty");
        }
        float[] scores = new float[tokens.length];
        if (file.has("tokenizer.ggml.scores")) {
            double[] stored = file.get("tokenizer.ggml.scores", double[].class);
            requireLength(file, "tokenizer.ggml.scores", stored.length, tokens.length);
            for (int i = 0; i < stored.length; i++) {
                scores[i] = (float) stored[i];
            }
        }
        TokenType[] types = new TokenType[tokens.length];
        Arrays.fill(types, TokenType.NORMAL);
        if (file.has("tokenizer.ggml.token_type")) {
            long[] stored = file.get("tokenizer.ggml.token_type", long[].class);
            requireLength(file, "tokenizer.ggml.token_type", stored.length, tokens.length);
            for (int i = 0; i < stored.length; i++) {
                types[i] = TokenType.fromGguf(stored[i]);
                if (types[i] == null) {
                    throw new ModelFormatException(file.path(), "tokenizer.ggml.token_type[" + i + "] is "
                            + stored[i] + ", not a GGUF token type (0..6)");
                }
            }
        }
        return of(tokens, scores, types);
    }

    /**
     * The special token id stored under {@code key}, {@code defaultId} when absent, -1 when stored as
     * "none" (0xFFFFFFFF); an id outside the vocabulary is an error naming the key.
     */
    int specialId(GgufFile file, String key, int defaultId) {
        if (!file.has(key)) {
            return defaultId;
        }
        long id = file.getLong(key);
        if (id == NO_ID || id == -1) {
            return -1;
        }
        if (id < 0 || id >= tokens.length) {
            throw new ModelFormatException(file.path(), key + " = " + id + " is outside the vocabulary of "
                    + tokens.length + " tokens");
        }
        return (int) id;
    }

    int size() {
        return tokens.length;
    }

    /** The id of piece {@code text}, or -1. */
    int idOf(String text) {
        Integer id = idByToken.get(text);
        return id == null ? -1 : id;
    }

    void checkId(int token) {
        if (token < 0 || token >= tokens.length) {
            throw new IllegalArgumentException("token " + token + " outside the vocabulary of " + tokens.length);
        }
    }

    private static void requireLength(GgufFile file, String key, int length, int numTokens) {
        if (length != numTokens) {
            throw new ModelFormatException(file.path(), key + " has " + length + " entries but tokenizer.ggml.tokens has "
                    + numTokens);
        }
    }
}
