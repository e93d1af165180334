package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.runtime.model.ModelFormatException;
import java.nio.file.Path;

/**
 * Arbitrary bytes as a llama2.c {@code tokenizer.bin}: refused with a {@link ModelFormatException}, or a
 * tokenizer that encodes any text into ids inside its vocabulary and decodes each of them. The first input
 * bytes choose the vocabulary size asked for and the text; the rest is the file. Seeds:
 * {@code src/test/resources/io/prefixflow/runtime/tokenizer/Llama2cTokenizerFileFuzzTestInputs/load/}.
 */
class Llama2cTokenizerFileFuzzTest {
    private static final Path LABEL = Path.of("fuzz-tokenizer.bin");

    @FuzzTest
    void load(FuzzedDataProvider data) {
        int vocabSize = data.consumeInt(-1, 1 << 22);
        String text = data.consumeString(64);
        byte[] file = data.consumeRemainingAsBytes();
        Llama2cTokenizer tokenizer;
        try {
            tokenizer = Llama2cTokenizer.parse(LABEL, file, vocabSize);
        } catch (ModelFormatException expected) {
            return;
        }
        int[] ids = tokenizer.encode(text, true);
        int prev = -1;
        for (int id : ids) {
            assertTrue(id >= 0 && id < tokenizer.vocabSize(), () -> "id " + id + " of " + tokenizer.vocabSize());
            tokenizer.decode(prev, id);
            prev = id;
        }
    }
}
