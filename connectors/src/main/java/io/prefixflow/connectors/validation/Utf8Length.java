package io.prefixflow.connectors.validation;

/**
 * The UTF-8 size of text, counted without encoding it, and able to stop early: a limit check on a 10 MB
 * prompt reads only as far as the limit.
 */
final class Utf8Length {
    private Utf8Length() {
    }

    /**
     * The bytes {@code text} takes in UTF-8 (a lone surrogate counts 1, as Java encodes it as {@code ?}), or any
     * value above {@code limit} once the count passes it.
     */
    static long of(CharSequence text, long limit) {
        long bytes = 0;
        int n = text.length();
        for (int i = 0; i < n && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
