package io.prefixflow.runtime.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a stream of token byte pieces into text for streaming output: a character whose UTF-8 bytes are
 * split over several pieces is held back until its last byte arrives.
 *
 * <pre>{@code
 * Utf8StreamDecoder text = new Utf8StreamDecoder();
 * for (int token : generated) { emit(text.append(tokenizer.decode(prev, token))); prev = token; }
 * emit(text.flush());
 * }</pre>
 *
 * <p>Malformed bytes become U+FFFD as soon as they are known to be malformed; {@link #flush()} ends the
 * stream, turning a still incomplete sequence into U+FFFD. Not thread-safe: one instance per sequence.
 */
public final class Utf8StreamDecoder {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes of an incomplete trailing sequence (at most 3) carried to the next piece. */
    private byte[] pending = new byte[0];

    /** The text completed by {@code piece}; may be empty while a character is still incomplete. */
    public String append(byte[] piece) {
        return decode(piece, false);
    }

    /** The text of whatever is still held back (malformed, so U+FFFD), and a reset for reuse. */
    public String flush() {
        String rest = decode(new byte[0], true);
        decoder.reset();
        return rest;
    }

    /** Number of bytes held back, waiting for the rest of their character. */
    public int pendingBytes() {
        return pending.length;
    }

    private String decode(byte[] piece, boolean endOfInput) {
        byte[] bytes = pending.length == 0 ? piece : concat(pending, piece);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 2);
        CoderResult result = decoder.decode(in, out, endOfInput);
        if (result.isOverflow()) {
            throw new IllegalStateException("UTF-8 decoding produced more chars than bytes");
        }
        if (endOfInput) {
            decoder.flush(out);
        }
        pending = Arrays.copyOfRange(bytes, in.position(), bytes.length);
        return out.flip().toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
