package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefixflow.runtime.model.ModelFormatException;
import io.prefixflow.runtime.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Llama2cTokenizerTest {
    private static final Map<String, Llama2cTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Llama2cTokenizer tokenizer(String fileName) {
        return TOKENIZERS.computeIfAbsent(fileName, f -> Llama2cTokenizer.load(SharedData.model(f)));
    }

    static Stream<Arguments> runcEncodeCases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.reference("tokenizer-encode.json").toFile());
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            for (String file : List.of("tokenizer.bin", "tok512.bin")) {
                int[] expected = new int[c.get(file).size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = c.get(file).get(i).asInt();
                }
                cases.add(Arguments.of(file, c.get("text").asText(), expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("runcEncodeCases")
    void encodesLikeRunC(String file, String text, int[] expected) {
        assertArrayEquals(expected, tokenizer(file).encode(text, true), () -> Arrays.toString(
                tokenizer(file).encode(text, true)));
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("runcEncodeCases")
    void decodingTheEncodingGivesTheText(String file, String text, int[] ids) {
        Llama2cTokenizer tok = tokenizer(file);
        assertEquals(text, decodeAll(tok, tok.encode(text, true)));
    }

    @Test
    void knownPiecesOfTok512() {
        Llama2cTokenizer tok = tokenizer("tok512.bin");
        assertEquals(512, tok.vocabSize());
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, tok.encode("Once upon a time", true));
        assertArrayEquals(new int[] {403, 407, 261, 378}, tok.encode("Once upon a time", false));
        assertArrayEquals(new int[0], tok.encode("", false));
        assertArrayEquals(" Once".getBytes(StandardCharsets.UTF_8), tok.decode(261, 403));
        assertArrayEquals("Once".getBytes(StandardCharsets.UTF_8), tok.decode(1, 403));
        assertArrayEquals(new byte[] {(byte) 0xF0}, tok.decode(1, 0xF0 + 3));
    }

    @Test
    void longPromptEncodesQuickly() {
        Llama2cTokenizer tok = tokenizer("tokenizer.bin");
        String text = "Once upon a time, there was a little girl named Lily. She loved naïve cafés — 日本語. ".repeat(100);
        int[] ids = tok.encode(text, true);
        assertTrue(ids.length > 2000, "ids: " + ids.length);
        assertEquals(text, decodeAll(tok, ids));
    }

    @Test
    void readsTheModelsVocabularySizeOnly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tok.bin");
        Files.write(file, concat(Files.readAllBytes(SharedData.model("tok512.bin")), new byte[] {1, 2, 3}));
        assertEquals(512, Llama2cTokenizer.load(file, 512).vocabSize());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedFileNamesFileAndProblem(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(SharedData.model("tok512.bin"));
        Path file = dir.resolve("cut.bin");
        Files.write(file, Arrays.copyOf(full, full.length - 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("entry 511"),
                e.getMessage());
        Files.write(file, new byte[] {7, 0});
        e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.load(file));
        assertTrue(e.getMessage().contains("max_token_length"), e.getMessage());
        Path missing = dir.resolve("missing.bin");
        e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    static String decodeAll(Tokenizer tok, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ids.length; i++) {
            if (i == 0 && ids[0] == tok.bosId()) {
                continue;
            }
            out.writeBytes(tok.decode(i == 0 ? -1 : ids[i - 1], ids[i]));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
