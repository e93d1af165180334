package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prefixflow.runtime.testing.FuzzText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Arbitrary text (any UTF-16, lone surrogates included; see {@link FuzzText}) through each tokenizer: encoding
 * never fails, every id is inside the vocabulary, text never encodes to BOS or EOS (so {@code </s>} or
 * {@code <|endoftext|>} typed by a user stays text), and decoding the ids gives back exactly the text's UTF-8
 * bytes (Java encodes a lone surrogate as {@code ?}; SentencePiece reads U+2581 as a space). Seeds:
 * {@code src/test/resources/io/prefixflow/runtime/tokenizer/TokenizerFuzzTestInputs/<method>/}.
 */
class TokenizerFuzzTest {
    @FuzzTest
    void llama2c(byte[] bytes) {
        String text = FuzzText.of(bytes);
        roundTrip(Llama2cTokenizerTest.tokenizer("tokenizer.bin"), text, text, true);
    }

    @FuzzTest
    void spm(byte[] bytes) {
        // NOTE: SentencePiece writes spaces as U+2581 and reads U+2581 back as a space, as llama.cpp does, so a
        // typed U+2581 comes back as a space: the one difference allowed.
        String text = FuzzText.of(bytes);
        roundTrip(SpmTokenizerTest.llamaSpm(), text, text.replace('\u2581', ' '), true);
    }

    @FuzzTest
    void gpt2(byte[] bytes) {
        String text = FuzzText.of(bytes);
        roundTrip(Gpt2BpeTokenizerTest.gpt2(), text, text, false);
    }

    private static void roundTrip(Tokenizer tokenizer, String text, String expected, boolean addBos) {
        int[] ids = tokenizer.encode(text, addBos);
        int start = addBos ? 1 : 0;
        if (addBos) {
            assertTrue(ids.length >= 1 && ids[0] == tokenizer.bosId(), "BOS first");
        }
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        for (int i = start; i < ids.length; i++) {
            int id = ids[i];
            assertTrue(id >= 0 && id < tokenizer.vocabSize(), () -> "id " + id + " outside the vocabulary");
            assertTrue(id != tokenizer.bosId() && id != tokenizer.eosId(),
                    () -> "text encoded to the control id " + id);
            decoded.writeBytes(tokenizer.decode(i == 0 ? -1 : ids[i - 1], id));
        }
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), decoded.toByteArray(),
                () -> "decode(encode(text)) differs for " + escape(text));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return out.toString();
    }
}
