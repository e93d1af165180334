package io.prefixflow.runtime.structured;

import java.util.ArrayList;
import java.util.List;

/**
 * Byte regexes for JSON text written without optional whitespace: strings, bounded integers and numbers,
 * and any value up to a nesting depth.
 *
 * <p>NOTE: what is emitted is deliberately narrower than what JSON allows, so outputs stay short and
 * deterministic: no whitespace between tokens; string escapes only {@code \" \\ \/ \b \f \n \r \t} (no
 * {@code \}{@code uXXXX}); numbers without exponents, at most {@value #MAX_INTEGER_DIGITS} integer digits
 * and {@value #MAX_FRACTION_DIGITS} fraction digits. Every output is valid JSON.
 */
final class JsonGrammar {
    static final int MAX_INTEGER_DIGITS = 15;
    static final int MAX_FRACTION_DIGITS = 6;
    /** Largest magnitude of an integer without explicit bounds: {@value #MAX_INTEGER_DIGITS} nines. */
    static final long MAX_MAGNITUDE = 999_999_999_999_999L;
    /** Characters a JSON string may hold unescaped are all but these. */
    static final CodePointSet NEEDS_ESCAPE = CodePointSet.of(0, 0x1F).plus('"', '"').plus('\\', '\\');
    /** One character of a JSON string's content, escaped where JSON requires it. */
    static final ByteRegex STRING_CHAR = ByteRegex.alt(List.of(
            NEEDS_ESCAPE.complement().toByteRegex(),
            ByteRegex.seq(ByteRegex.literal("\\"), CodePointSet.of('"').plus('\\', '\\').plus('/', '/')
                    .plus('b', 'b').plus('f', 'f').plus('n', 'n').plus('r', 'r').plus('t', 't').toByteRegex())));
    private static final ByteRegex DIGIT = new ByteRegex.Bytes(ByteClass.range('0', '9'));
    private static final ByteRegex FRACTION = ByteRegex.seq(ByteRegex.literal("."),
            new ByteRegex.Repeat(DIGIT, 1, MAX_FRACTION_DIGITS));

    private JsonGrammar() {
    }

    /** A JSON string of {@code minChars..maxChars} characters ({@code maxChars} may be unbounded). */
    static ByteRegex string(int minChars, int maxChars) {
        return quoted(new ByteRegex.Repeat(STRING_CHAR, minChars, maxChars));
    }

    static ByteRegex quoted(ByteRegex content) {
        return ByteRegex.seq(ByteRegex.literal("\""), content, ByteRegex.literal("\""));
    }

    /** Integers in {@code lo..hi} in their shortest form (no leading zeros, no "-0"). */
    static ByteRegex integer(long lo, long hi) {
        List<ByteRegex> options = new ArrayList<>();
        if (lo < 0) {
            options.add(ByteRegex.seq(ByteRegex.literal("-"), nonNegative(Math.max(1, -Math.min(hi, -1)), -lo)));
        }
        if (hi >= 0) {
            options.add(nonNegative(Math.max(0, lo), hi));
        }
        return ByteRegex.alt(options);
    }

    /**
     * Numbers in {@code lo..hi} (integer bounds): integers, and decimals {@code I.F} whose whole part keeps
     * them in range whatever the fraction.
     */
    static ByteRegex number(long lo, long hi) {
        List<ByteRegex> options = new ArrayList<>();
        options.add(integer(lo, hi));
        if (Math.max(lo, 0) <= hi - 1) {
            options.add(ByteRegex.seq(nonNegative(Math.max(lo, 0), hi - 1), FRACTION));
        }
        if (Math.max(0, -hi) <= -lo - 1) {
            options.add(ByteRegex.seq(ByteRegex.literal("-"), nonNegative(Math.max(0, -hi), -lo - 1), FRACTION));
        }
        return ByteRegex.alt(options);
    }

    /** Any JSON value nesting objects and arrays at most {@code depth} deep (0: scalars and empty ones). */
    static ByteRegex anyValue(int depth) {
        return ByteRegex.alt(List.of(string(0, ByteRegex.Repeat.UNBOUNDED),
                number(-MAX_MAGNITUDE, MAX_MAGNITUDE), ByteRegex.literal("true"), ByteRegex.literal("false"),
                ByteRegex.literal("null"), anyObject(depth), anyArray(depth)));
    }

    /** Any JSON object whose values nest at most {@code depth - 1} deep. */
    static ByteRegex anyObject(int depth) {
        if (depth == 0) {
            return ByteRegex.literal("{}");
        }
        ByteRegex member = ByteRegex.seq(string(0, ByteRegex.Repeat.UNBOUNDED), ByteRegex.literal(":"),
                anyValue(depth - 1));
        return ByteRegex.seq(ByteRegex.literal("{"), ByteRegex.optional(list(member)), ByteRegex.literal("}"));
    }

    static ByteRegex anyArray(int depth) {
        if (depth == 0) {
            return ByteRegex.literal("[]");
        }
        return ByteRegex.seq(ByteRegex.literal("["), ByteRegex.optional(list(anyValue(depth - 1))),
                ByteRegex.literal("]"));
    }

    /** One or more items separated by commas. */
    static ByteRegex list(ByteRegex item) {
        return ByteRegex.seq(item, new ByteRegex.Repeat(ByteRegex.seq(ByteRegex.literal(","), item), 0,
                ByteRegex.Repeat.UNBOUNDED));
    }

    /** Decimal integers {@code a..b}, {@code 0 <= a <= b}, without leading zeros. */
    static ByteRegex nonNegative(long a, long b) {
        List<ByteRegex> options = new ArrayList<>();
        long low = 1;
        for (int length = 1; length <= 19; length++) {
            long high = length == 19 ? Long.MAX_VALUE : low * 10 - 1;
            long from = Math.max(a, length == 1 ? 0 : low);
            long to = Math.min(b, high);
            if (from <= to) {
                options.add(sameLength(Long.toString(from), Long.toString(to)));
            }
            if (length < 19) {
                low = length == 1 ? 10 : low * 10;
            }
            if (high >= b) {
                break;
            }
        }
        return options.isEmpty() ? ByteRegex.NOTHING : ByteRegex.alt(options);
    }

    /** Digit strings {@code x..y} of one length. */
    private static ByteRegex sameLength(String x, String y) {
        int n = x.length() - 1;
        char x0 = x.charAt(0);
        char y0 = y.charAt(0);
        if (n == 0) {
            return new ByteRegex.Bytes(ByteClass.range(x0, y0));
        }
        String xRest = x.substring(1);
        String yRest = y.substring(1);
        if (x0 == y0) {
            return ByteRegex.seq(ByteRegex.literal(String.valueOf(x0)), sameLength(xRest, yRest));
        }
        if (xRest.equals("0".repeat(n)) && yRest.equals("9".repeat(n))) {
            return ByteRegex.seq(new ByteRegex.Bytes(ByteClass.range(x0, y0)), new ByteRegex.Repeat(DIGIT, n, n));
        }
        List<ByteRegex> options = new ArrayList<>();
        options.add(ByteRegex.seq(ByteRegex.literal(String.valueOf(x0)), sameLength(xRest, "9".repeat(n))));
        if (y0 - x0 >= 2) {
            options.add(ByteRegex.seq(new ByteRegex.Bytes(ByteClass.range(x0 + 1, y0 - 1)),
                    new ByteRegex.Repeat(DIGIT, n, n)));
        }
        options.add(ByteRegex.seq(ByteRegex.literal(String.valueOf(y0)), sameLength("0".repeat(n), yRest)));
        return ByteRegex.alt(options);
    }
}
