package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.format.GgufFile;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Gpt2BpeTokenizerTest {
    private static Gpt2BpeTokenizer gpt2;

    static synchronized Gpt2BpeTokenizer gpt2() {
        if (gpt2 == null) {
            GgufFile gguf = GgufFile.open(LlamaCppVocabCases.vocab("ggml-vocab-gpt-2.gguf"));
            try {
                gpt2 = (Gpt2BpeTokenizer) GgufTokenizers.fromGguf(gguf);
            } finally {
                gguf.close();
            }
        }
        return gpt2;
    }

    static List<Arguments> llamaCppCases() throws IOException {
        return LlamaCppVocabCases.read("ggml-vocab-gpt-2.gguf");
    }

    @ParameterizedTest(name = "case {0}: \"{1}\"")
    @MethodSource("llamaCppCases")
    void encodesLikeLlamaCpp(int index, String text, int[] expected) {
        int[] actual = gpt2().encode(text, false);
        assertArrayEquals(expected, actual, () -> Arrays.toString(actual));
    }

    @ParameterizedTest(name = "case {0}: \"{1}\"")
    @MethodSource("llamaCppCases")
    void decodesLlamaCppCasesBack(int index, String text, int[] ids) {
        assertEquals(text, Llama2cTokenizerTest.decodeAll(gpt2(), ids));
    }

    @Test
    void vocabularyMetadata() {
        Gpt2BpeTokenizer tok = gpt2();
        assertEquals(50257, tok.vocabSize());
        assertEquals(50256, tok.bosId());
        assertEquals(50256, tok.eosId());
        assertFalse(tok.addBosByDefault());
        assertEquals(BpePreTokenizer.GPT2, tok.preTokenizer());
        assertArrayEquals(new int[] {50256, 15496}, tok.encode("Hello", true));
        assertEquals(0, tok.decode(15496, 50256).length);
    }

    @Test
    void controlTokenTextIsNotParsedAsSpecial() {
        int[] ids = gpt2().encode("<|endoftext|>", false);
        assertTrue(Arrays.stream(ids).noneMatch(i -> i == 50256), Arrays.toString(ids));
        assertEquals("<|endoftext|>", Llama2cTokenizerTest.decodeAll(gpt2(), ids));
    }

    @Test
    void longPromptEncodesQuickly() {
        String text = "The quick brown fox jumps over the lazy dog; naïve café 日本語 🦙 12345. ".repeat(150);
        long startNs = System.nanoTime();
        int[] ids = gpt2().encode(text, false);
        long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        assertTrue(ids.length > 2000, "ids: " + ids.length);
        assertEquals(text, Llama2cTokenizerTest.decodeAll(gpt2(), ids));
        System.out.println("GPT-2 BPE: " + ids.length + " tokens in " + elapsedMs + " ms (first call, cold JIT)");
    }
}
