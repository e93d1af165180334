package io.prefixflow.operator.prepare;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries control characters (U+0000..U+001F but tab, newline and carriage return, and U+007F) through jinjava
 * unchanged: jinjava prints strings through a JSON writer and undoes only some of its escapes, so a NUL in a
 * message came out as the six characters {@code \u0000}. Before rendering each such character becomes a mark of
 * private-use characters and digits (which no filter changes), and the output has the marks turned back.
 */
final class ControlCharMarks {
    private static final char START = '\uE002';
    private static final char END = '\uE003';

    /** Decimal digits, so that case filters in a template leave the marks alone. */
    private final String nonce =
            Long.toString(Math.floorMod(new SecureRandom().nextLong(), 1_000_000_000_000_000L));
    private final Pattern mark = Pattern.compile(START + nonce + ":(\\d{1,3})" + END);

    /** {@code text} with every control character replaced by its mark; null stays null. */
    String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 32).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isEscaped(c)) {
                out.append(START).append(nonce).append(':').append((int) c).append(END);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code text} with every mark turned back into its character. */
    String restore(String text) {
        if (text.indexOf(START) < 0) {
            return text;
        }
        Matcher m = mark.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        while (m.find()) {
            int c = Integer.parseInt(m.group(1));
            out.append(text, at, m.start());
            if (c < 0x80 && isEscaped((char) c)) {
                out.append((char) c);
            } else {
                out.append(m.group());
            }
            at = m.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isEscaped(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isEscaped(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    }
}
