package io.prefixflow.runtime.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * Byte strings held as {@link String}s with one char per byte (ISO-8859-1), so that byte-exact pieces can be
 * concatenated, cut and used as hash keys cheaply.
 */
final class ByteStrings {
    private ByteStrings() {
    }

    static String ofBytes(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String ofUtf8(String text) {
        return ofBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Start offsets of the UTF-8 characters of a byte string, a character's length read from its lead byte
     * as llama.cpp's {@code unicode_len_utf8} does (a stray continuation byte counts as one character).
     */
    static int[] characterStarts(String bytes) {
        IntList starts = new IntList(bytes.length());
        int offset = 0;
        while (offset < bytes.length()) {
            starts.add(offset);
            int lead = bytes.charAt(offset);
            int length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            offset += Math.min(length, bytes.length() - offset);
        }
        return starts.toArray();
    }

    /** The value of an ASCII hex digit, or -1. */
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
