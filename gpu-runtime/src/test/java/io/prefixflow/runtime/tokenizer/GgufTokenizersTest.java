package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.model.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufTokenizersTest {
    @TempDir
    Path dir;

    private static final String[] TOKENS = {"<unk>", "<s>", "</s>", "<0x41>", "▁", "a", "b", "▁a", "ab", "ba", "<tool>"};
    private static final int[] TYPES = {2, 3, 3, 6, 1, 1, 1, 1, 1, 1, 4};

    private TinyGguf spm() {
        return new TinyGguf().put("tokenizer.ggml.model", "llama").put("tokenizer.ggml.tokens", TOKENS)
                .put("tokenizer.ggml.scores", new float[] {0, 0, 0, 0, -1, -2, -2, -1, -5, -5, 0})
                .put("tokenizer.ggml.token_type", TYPES);
    }

    private Tokenizer load(TinyGguf gguf) throws IOException {
        GgufFile file = GgufFile.open(gguf.write(dir.resolve("t.gguf")));
        try {
            return GgufTokenizers.fromGguf(file);
        } finally {
            file.close();
        }
    }

    private String error(TinyGguf gguf) {
        return assertThrows(ModelFormatException.class, () -> load(gguf)).getMessage();
    }

    @Test
    void unknownModelIsNamedWithTheSupportedOnes() {
        String message = error(spm().put("tokenizer.ggml.model", "bert"));
        assertTrue(message.contains("'bert'") && message.contains("'llama'") && message.contains("'gpt2'")
                && message.contains("t.gguf"), message);
    }

    @Test
    void missingMetadataIsNamed() {
        String message = error(new TinyGguf().put("general.architecture", "llama"));
        assertTrue(message.contains("tokenizer.ggml.model"), message);
        message = error(new TinyGguf().put("tokenizer.ggml.model", "llama"));
        assertTrue(message.contains("tokenizer.ggml.tokens"), message);
        message = error(spm().put("tokenizer.ggml.scores", new float[] {1, 2}));
        assertTrue(message.contains("tokenizer.ggml.scores has 2 entries"), message);
        message = error(spm().put("tokenizer.ggml.bos_token_id", 99));
        assertTrue(message.contains("tokenizer.ggml.bos_token_id = 99"), message);
        message = error(new TinyGguf().put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.tokens", TOKENS));
        assertTrue(message.contains("tokenizer.ggml.merges"), message);
        message = error(new TinyGguf().put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", "falcon")
                .put("tokenizer.ggml.tokens", TOKENS));
        assertTrue(message.contains("'falcon'") && message.contains("'llama-bpe'"), message);
    }

    @Test
    void spmTiesGoToTheLeftmostPairAndUnknownBytesFallBack() throws IOException {
        Tokenizer tok = load(spm());
        assertInstanceOf(SpmTokenizer.class, tok);
        // "▁aba": "▁a" (-1) beats "ab" and "ba" (-5, -5); then "ba" stays (no "▁ab" token)
        assertArrayEquals(new int[] {1, 7, 9}, tok.encode("aba", true));
        // "abab" (with prefix "▁abab"): "▁a" first, then "ba" and "ab" tie at -5: leftmost "ba" wins
        assertArrayEquals(new int[] {7, 9, 6}, tok.encode("abab", false));
        // 'A' is no token: byte fallback <0x41>
        assertArrayEquals(new int[] {4, 3}, tok.encode("A", false));
    }

    @Test
    void userDefinedTokensAreCutOutEvenWithoutSpecialParsing() throws IOException {
        Tokenizer tok = load(spm());
        assertArrayEquals(new int[] {7, 10, 4, 6}, tok.encode("a<tool>b", false));
        assertArrayEquals("<tool>".getBytes(StandardCharsets.UTF_8), tok.decode(7, 10));
        assertEquals("a", new String(tok.decode(1, 7), StandardCharsets.UTF_8));
        assertEquals(" a", new String(tok.decode(5, 7), StandardCharsets.UTF_8));
        assertEquals("A", new String(tok.decode(1, 3), StandardCharsets.UTF_8));
    }

    @Test
    void spmWithoutSpacePrefix() throws IOException {
        Tokenizer tok = load(spm().put("tokenizer.ggml.add_space_prefix", false));
        // "ab" and "ba" tie at -5: the leftmost pair merges
        assertArrayEquals(new int[] {8, 5}, tok.encode("aba", false));
        assertEquals(" a", new String(tok.decode(1, 7), StandardCharsets.UTF_8));
    }

    @Test
    void bpeMergesByLowestRankFirst() throws IOException {
        Gpt2BpeTokenizer tok = (Gpt2BpeTokenizer) load(bpe("gpt-2"));
        assertEquals(BpePreTokenizer.GPT2, tok.preTokenizer());
        assertFalse(tok.addBosByDefault());
        // "b c" (rank 0) before "a b" (rank 1), then "a bc"; " ab" becomes "Ġ", "ab" (rank 1 beats "Ġ a")
        assertArrayEquals(new int[] {5, 6, 3}, tok.encode("abc ab", false));
        // "ca" has no merge: two tokens
        assertArrayEquals(new int[] {2, 0}, tok.encode("ca", false));
        assertEquals("abc", new String(tok.decode(8, 5), StandardCharsets.UTF_8));
        assertEquals(" ", new String(tok.decode(5, 6), StandardCharsets.UTF_8));
        assertEquals(0, tok.decode(5, 9).length);
    }

    @Test
    void llamaBpeTakesWholeWordTokensAndDefaultsToBos() throws IOException {
        Gpt2BpeTokenizer tok = (Gpt2BpeTokenizer) load(bpe("llama-bpe"));
        assertEquals(BpePreTokenizer.LLAMA3, tok.preTokenizer());
        assertTrue(tok.addBosByDefault());
        assertArrayEquals(new int[] {9, 8}, tok.encode("ca", true));
    }

    private static TinyGguf bpe(String pre) {
        String[] tokens = {"a", "b", "c", "ab", "bc", "abc", "Ġ", "Ġa", "ca", "<|begin|>"};
        return new TinyGguf().put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", pre)
                .put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.token_type", new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 3})
                .put("tokenizer.ggml.merges", new String[] {"b c", "a b", "a bc", "Ġ a"})
                .put("tokenizer.ggml.bos_token_id", 9);
    }
}
