package io.prefixflow.runtime.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character table: printable Latin-1 bytes stand for themselves, the other 68
 * bytes map to U+0100 upward in byte order, so that every byte string is a string of visible characters.
 */
final class Gpt2ByteMap {
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[0x200];

    static {
        Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHAR_OF_BYTE[b] = printable ? (char) b : (char) next++;
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private Gpt2ByteMap() {
    }

    /** The UTF-8 bytes of {@code text}, one mapped character per byte. */
    static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] mapped = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            mapped[i] = CHAR_OF_BYTE[utf8[i] & 0xFF];
        }
        return new String(mapped);
    }

    /** The bytes a token's mapped characters stand for; a character outside the table gives its own UTF-8. */
    static byte[] decode(String mapped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(mapped.length());
        for (int i = 0; i < mapped.length(); i++) {
            char c = mapped.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b >= 0) {
                out.write(b);
            } else {
                int codePoint = mapped.codePointAt(i);
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toByteArray();
    }
}
