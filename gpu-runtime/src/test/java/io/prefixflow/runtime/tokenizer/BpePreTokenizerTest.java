package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splits worked out by hand from the regular expressions, the way llama.cpp's splitters apply them. */
class BpePreTokenizerTest {
    @Test
    void gpt2() {
        BpePreTokenizer p = BpePreTokenizer.GPT2;
        assertEquals(List.of("Hello", ",", " world", "!"), p.split("Hello, world!"));
        assertEquals(List.of("HE", "'", "S", " it", "'s"), p.split("HE'S it's"));
        assertEquals(List.of(" 12345", " x"), p.split(" 12345 x"));
        assertEquals(List.of("a", " ", " b", "  "), p.split("a  b  "));
        assertEquals(List.of("a", "\n", "\n", "b"), p.split("a\n\nb"));
    }

    @Test
    void unicodeWhitespaceIsWhitespace() {
        assertEquals(List.of("x", "\u00A0", "\u00A0", "y"), BpePreTokenizer.GPT2.split("x\u00A0\u00A0y"));
        assertEquals(List.of("x", "\u3000", "\u3000y"), BpePreTokenizer.LLAMA3.split("x\u3000\u3000y"));
        assertEquals(List.of("x", "\u00A0", "\u00A0y"), BpePreTokenizer.QWEN2.split("x\u00A0\u00A0y"));
    }

    @Test
    void llama3() {
        BpePreTokenizer p = BpePreTokenizer.LLAMA3;
        assertEquals(List.of("HE", "'S", " it", "'s", " WE", "'VE"), p.split("HE'S it's WE'VE"));
        assertEquals(List.of("123", "45", " ", "6"), p.split("12345 6"));
        assertEquals(List.of("Hello", " world", "\n\n", "  ", " hi"), p.split("Hello world\n\n   hi"));
        assertEquals(List.of("🦙.", "cpp", " (", "x", ")\n"), p.split("🦙.cpp (x)\n"));
        assertEquals(List.of("a", " \n", "b"), p.split("a \nb"));
    }

    @Test
    void qwen2SplitsSingleDigits() {
        assertEquals(List.of("1", "2", "3", "4", "5", " x", "'LL"), BpePreTokenizer.QWEN2.split("12345 x'LL"));
    }

    @Test
    void contractionsIgnoreCaseOnlyForAscii() {
        // U+017F (long s) folds to 's' only under Unicode case folding, which llama.cpp does not apply.
        assertEquals(List.of("it", "'\u017Fx"), BpePreTokenizer.LLAMA3.split("it'\u017Fx"));
        assertEquals(List.of("it", "'S", "x"), BpePreTokenizer.LLAMA3.split("it'Sx"));
    }

    @Test
    void namesFromGguf() {
        assertEquals(BpePreTokenizer.GPT2, BpePreTokenizer.forName("gpt-2"));
        assertEquals(BpePreTokenizer.GPT2, BpePreTokenizer.forName(null));
        assertEquals(BpePreTokenizer.LLAMA3, BpePreTokenizer.forName("llama-bpe"));
        assertEquals(BpePreTokenizer.QWEN2, BpePreTokenizer.forName("qwen2"));
        assertNull(BpePreTokenizer.forName("falcon"));
    }
}
