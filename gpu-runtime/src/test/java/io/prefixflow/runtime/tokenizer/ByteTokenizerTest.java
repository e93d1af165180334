package io.prefixflow.runtime.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final ByteTokenizer tokenizer = new ByteTokenizer(32000);

    @Test
    void encodesUtf8BytesAfterBos() {
        assertArrayEquals(new int[] {1, 3 + 'h', 3 + 'i'}, tokenizer.encode("hi", true));
        assertArrayEquals(new int[] {3 + 0xC3, 3 + 0xA9}, tokenizer.encode("é", false));
    }

    @Test
    void roundTripsText() {
        String text = "Grüße, 世界!";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = ByteTokenizer.BOS_ID;
        for (int id : tokenizer.encode(text, true)) {
            out.writeBytes(tokenizer.decode(prev, id));
            prev = id;
        }
        assertEquals(text, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void idsAboveTheBytesDecodeToAPlaceholder() {
        assertEquals("<300>", new String(tokenizer.decode(3, 300), StandardCharsets.US_ASCII));
        assertEquals(0, tokenizer.decode(3, ByteTokenizer.EOS_ID).length);
    }

    @Test
    void needsRoomForEveryByte() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ByteTokenizer(256));
        assertEquals("a byte tokenizer needs a vocabulary of at least 259 tokens, got 256", e.getMessage());
    }
}
