package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Utf8StreamDecoderTest {
    @Test
    void holdsBackACharacterSplitOverPieces() {
        byte[] llama = "🦙".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder text = new Utf8StreamDecoder();
        assertEquals("a", text.append(new byte[] {'a', llama[0]}));
        assertEquals(1, text.pendingBytes());
        assertEquals("", text.append(new byte[] {llama[1]}));
        assertEquals("", text.append(new byte[] {llama[2]}));
        assertEquals("🦙b", text.append(new byte[] {llama[3], 'b'}));
        assertEquals(0, text.pendingBytes());
        assertEquals("", text.flush());
    }

    @Test
    void twoByteAndThreeByteCharactersOneByteAtATime() {
        byte[] bytes = "é日".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder text = new Utf8StreamDecoder();
        StringBuilder seen = new StringBuilder();
        for (byte b : bytes) {
            seen.append(text.append(new byte[] {b})).append('|');
        }
        assertEquals("|é|||日|", seen.toString());
    }

    @Test
    void malformedBytesBecomeReplacementCharacters() {
        Utf8StreamDecoder text = new Utf8StreamDecoder();
        assertEquals("\uFFFDA", text.append(new byte[] {(byte) 0xE2, 'A'}));
        assertEquals("\uFFFD", text.append(new byte[] {(byte) 0xFF}));
        assertEquals("", text.append(new byte[] {(byte) 0xF0, (byte) 0x9F}));
        assertEquals("\uFFFD", text.flush());
        assertEquals(0, text.pendingBytes());
        assertEquals("ok", text.append("ok".getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void anySplitGivesTheWholeText(@ForAll("texts") String s, @ForAll("cuts") List<Integer> cuts) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] points = cuts.stream().mapToInt(c -> c % (bytes.length + 1)).sorted().toArray();
        Utf8StreamDecoder text = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int at : points) {
            out.append(text.append(Arrays.copyOfRange(bytes, from, at)));
            from = at;
        }
        out.append(text.append(Arrays.copyOfRange(bytes, from, bytes.length))).append(text.flush());
        assertEquals(s, out.toString());
    }

    @Provide
    Arbitrary<String> texts() {
        return TokenizerRoundTripTest.texts();
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(12);
    }
}
