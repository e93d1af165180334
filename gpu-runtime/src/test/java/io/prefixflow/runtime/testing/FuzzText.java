package io.prefixflow.runtime.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Turns fuzzer bytes into Java text, so that seed files stay readable: the first byte chooses the decoding,
 * the rest is the text. An even first byte decodes the rest as UTF-8 (malformed bytes become U+FFFD); an odd
 * one reads it as raw UTF-16LE code units, so lone surrogates, NUL and any other {@code char} reach the code
 * under test.
 */
public final class FuzzText {
    private FuzzText() {
    }

    /** The text {@code bytes} stand for (empty for no bytes). */
    public static String of(byte[] bytes) {
        if (bytes.length == 0) {
            return "";
        }
        if ((bytes[0] & 1) == 0) {
            return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder text = new StringBuilder(in.remaining() / 2);
        while (in.remaining() >= 2) {
            text.append(in.getChar());
        }
        return text.toString();
    }
}
