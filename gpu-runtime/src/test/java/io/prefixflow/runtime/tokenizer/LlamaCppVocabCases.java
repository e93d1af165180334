package io.prefixflow.runtime.tokenizer;

import io.prefixflow.runtime.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/**
 * llama.cpp's tokenizer test files {@code models/vocab/<name>.gguf.inp/.out}: the .inp holds each text
 * followed by {@code "\n__ggml_vocab_test__\n"}; line i of the .out holds the ids of text i, each preceded
 * by a space (no BOS).
 */
final class LlamaCppVocabCases {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private LlamaCppVocabCases() {
    }

    static Path vocab(String ggufName) {
        return SharedData.model("vocab/" + ggufName);
    }

    static List<Arguments> read(String ggufName) throws IOException {
        String inp = Files.readString(vocab(ggufName + ".inp"), StandardCharsets.UTF_8);
        List<String> outLines = Files.readAllLines(vocab(ggufName + ".out"), StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        int from = 0;
        for (int at = inp.indexOf(SEPARATOR); at >= 0; at = inp.indexOf(SEPARATOR, from)) {
            texts.add(inp.substring(from, at));
            from = at + SEPARATOR.length();
        }
        if (from != inp.length() || texts.size() != outLines.size()) {
            throw new IllegalStateException(ggufName + ": " + texts.size() + " texts, " + outLines.size()
                    + " expected lines, " + (inp.length() - from) + " chars after the last separator");
        }
        List<Arguments> cases = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = outLines.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            cases.add(Arguments.of(i, texts.get(i), ids));
        }
        return cases;
    }
}
