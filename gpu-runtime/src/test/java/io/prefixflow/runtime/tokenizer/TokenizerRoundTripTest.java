package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * decode(encode(s)) == s for every tokenizer. With BOS, the first piece after BOS loses one leading space:
 * exactly the dummy-prefix space that encoding added.
 */
class TokenizerRoundTripTest {
    private static final List<String> ALPHABET = List.of(
            "a", "b", "e", "t", "h", "o", "n", " ", " ", " ", "T", "Z", "0", "7", "42", ".", ",", "'", "'s", "\"",
            "\n", "\t", "\r", "<", ">", "s", "<s>", "\\", "~", "\u0000",
            "é", "ü", "ñ", "ß", "—", "“", "’", "½", "\u00A0", "\u3000", "\u200D",
            "日", "本", "語", "한", "ก", "א", "ب", "Ж", "ω",
            "😀", "🦙", "👍🏽", "🐶");

    static Arbitrary<String> texts() {
        return Arbitraries.of(ALPHABET).list().ofMaxSize(30).map(parts -> parts.stream().collect(Collectors.joining()));
    }

    @Provide
    Arbitrary<String> anyText() {
        return texts();
    }

    @Property(tries = 300)
    void llama2cTok512(@ForAll("anyText") String s) {
        Tokenizer tok = Llama2cTokenizerTest.tokenizer("tok512.bin");
        assertEquals(s, Llama2cTokenizerTest.decodeAll(tok, tok.encode(s, true)));
    }

    @Property(tries = 300)
    void llama2cLlama2Vocabulary(@ForAll("anyText") String s) {
        Tokenizer tok = Llama2cTokenizerTest.tokenizer("tokenizer.bin");
        assertEquals(s, Llama2cTokenizerTest.decodeAll(tok, tok.encode(s, true)));
    }

    @Property(tries = 300)
    void spmLlama2Vocabulary(@ForAll("anyText") String s) {
        Tokenizer tok = SpmTokenizerTest.llamaSpm();
        assertEquals(s, Llama2cTokenizerTest.decodeAll(tok, tok.encode(s, true)));
    }

    @Property(tries = 300)
    void spmStories(@ForAll("anyText") String s) {
        Tokenizer tok = SpmTokenizerTest.stories();
        assertEquals(s, Llama2cTokenizerTest.decodeAll(tok, tok.encode(s, true)));
    }

    @Property(tries = 300)
    void gpt2WithoutBos(@ForAll("anyText") String s) {
        Tokenizer tok = Gpt2BpeTokenizerTest.gpt2();
        assertEquals(s, Llama2cTokenizerTest.decodeAll(tok, tok.encode(s, false)));
    }
}
