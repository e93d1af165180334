package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpmTokenizerTest {
    private static SpmTokenizer llamaSpm;
    private static SpmTokenizer stories;

    static synchronized SpmTokenizer llamaSpm() {
        if (llamaSpm == null) {
            llamaSpm = (SpmTokenizer) load(LlamaCppVocabCases.vocab("ggml-vocab-llama-spm.gguf").toString());
        }
        return llamaSpm;
    }

    static synchronized SpmTokenizer stories() {
        if (stories == null) {
            stories = (SpmTokenizer) load(SharedData.model("stories260K.gguf").toString());
        }
        return stories;
    }

    private static Tokenizer load(String path) {
        GgufFile gguf = GgufFile.open(java.nio.file.Path.of(path));
        try {
            return GgufTokenizers.fromGguf(gguf);
        } finally {
            gguf.close();
        }
    }

    static List<Arguments> llamaCppCases() throws IOException {
        return LlamaCppVocabCases.read("ggml-vocab-llama-spm.gguf");
    }

    @ParameterizedTest(name = "case {0}: \"{1}\"")
    @MethodSource("llamaCppCases")
    void encodesLikeLlamaCpp(int index, String text, int[] expected) {
        int[] actual = llamaSpm().encode(text, false);
        assertArrayEquals(expected, actual, () -> Arrays.toString(actual));
    }

    @ParameterizedTest(name = "case {0}: \"{1}\"")
    @MethodSource("llamaCppCases")
    void decodesLlamaCppCasesBack(int index, String text, int[] ids) {
        int[] withBos = llamaSpm().encode(text, true);
        assertEquals(text, Llama2cTokenizerTest.decodeAll(llamaSpm(), withBos));
    }

    static Stream<Arguments> storiesCases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.reference("stories260K-greedy.json").toFile());
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            cases.add(Arguments.of(c.get("id").asText(), c.get("prompt").asText(), ints(c.get("prompt_ids")),
                    ints(c.get("generated_ids")), c.get("completion_text").asText()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storiesCases")
    void storiesGgufEncodesPromptsLikeRunC(String id, String prompt, int[] promptIds, int[] generated, String text) {
        assertArrayEquals(promptIds, stories().encode(prompt, true));
    }

    /** run.c prints each piece through safe_printf, which drops single non-printable, non-space bytes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storiesCases")
    void storiesGgufDecodesCompletionsLikeRunC(String id, String prompt, int[] promptIds, int[] generated,
                                               String completion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = promptIds[promptIds.length - 1];
        for (int token : generated) {
            byte[] piece = stories().decode(prev, token);
            boolean dropped = piece.length == 1 && !(piece[0] >= 0x20 && piece[0] < 0x7F
                    || piece[0] >= 0x09 && piece[0] <= 0x0D);
            if (!dropped) {
                out.writeBytes(piece);
            }
            prev = token;
        }
        assertEquals(completion, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void storiesVocabularyMetadata() {
        SpmTokenizer tok = stories();
        assertEquals(512, tok.vocabSize());
        assertEquals(1, tok.bosId());
        assertEquals(2, tok.eosId());
        assertEquals(0, tok.unknownId());
        assertTrue(tok.addBosByDefault());
        assertEquals(TokenType.CONTROL, tok.tokenType(1));
        assertEquals(TokenType.BYTE, tok.tokenType(3));
    }

    @Test
    void emptyTextIsBosOnlyAndLiteralSpecialTextIsPlainText() {
        assertArrayEquals(new int[] {1}, llamaSpm().encode("", true));
        assertArrayEquals(new int[0], llamaSpm().encode("", false));
        int[] ids = llamaSpm().encode("<s>", false);
        assertTrue(Arrays.stream(ids).noneMatch(i -> i == 1), Arrays.toString(ids));
        assertEquals(0, llamaSpm().decode(5, 1).length);
        assertEquals(0, llamaSpm().decode(5, 0).length);
    }

    @Test
    void longPromptEncodesQuickly() {
        String text = "The quick brown fox jumps over the lazy dog; naïve café 日本語 🦙. ".repeat(150);
        long startNs = System.nanoTime();
        int[] ids = llamaSpm().encode(text, true);
        long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        assertTrue(ids.length > 2000, "ids: " + ids.length);
        assertEquals(text, Llama2cTokenizerTest.decodeAll(llamaSpm(), ids));
        System.out.println("SPM: " + ids.length + " tokens in " + elapsedMs + " ms (first call, cold JIT)");
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
