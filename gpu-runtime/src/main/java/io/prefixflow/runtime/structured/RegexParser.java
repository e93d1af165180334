package io.prefixflow.runtime.structured;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the supported regular-expression subset into a {@link ByteRegex} that matches the UTF-8 bytes of
 * the strings the pattern matches as a whole (anchored at both ends, like {@code Pattern.matches}).
 *
 * <p>Supported: literal characters, escapes ({@code \. \\ \n \t \r \f} and other escaped punctuation),
 * classes {@code [a-z] [^...]}, {@code \d \w \s \D \W \S}, {@code .} (any character but line terminators),
 * {@code |}, groups {@code (...)} and {@code (?:...)}, quantifiers {@code * + ? {m} {m,} {m,n}} (a lazy
 * {@code ?} suffix is accepted: it does not change which strings match), {@code ^} at the very start and
 * {@code $} at the very end. Anything else (backreferences, lookaround, possessive quantifiers, inline
 * flags, anchors inside the pattern, Unicode properties) is an {@link UnsupportedFormatException}.
 */
final class RegexParser {
    /** Most repetitions a bounded quantifier may ask for; keeps the automaton small. */
    static final int MAX_REPEAT = 256;
    private static final CodePointSet DIGITS = CodePointSet.of('0', '9');
    private static final CodePointSet WORD = DIGITS.plus('a', 'z').plus('A', 'Z').plus('_', '_');
    private static final CodePointSet SPACE = CodePointSet.of(' ').plus('\t', '\r');
    private static final CodePointSet LINE_TERMINATORS = CodePointSet.of('\n').plus('\r', '\r')
            .plus(0x85, 0x85).plus(0x2028, 0x2029);

    private final String pattern;
    private final int[] codePoints;
    private final CodePointSet forbidden;
    private int pos;

    private RegexParser(String pattern, CodePointSet forbidden) {
        this.pattern = pattern;
        this.codePoints = pattern.codePoints().toArray();
        this.forbidden = forbidden;
    }

    /** The pattern's byte regex. */
    static ByteRegex parse(String pattern) {
        return parse(pattern, CodePointSet.EMPTY);
    }

    /**
     * The pattern's byte regex, with the characters in {@code forbidden} taken out of every literal and
     * class (used inside JSON strings, where quotes, backslashes and control characters would need escapes).
     */
    static ByteRegex parse(String pattern, CodePointSet forbidden) {
        RegexParser parser = new RegexParser(pattern, forbidden);
        if (parser.peekIs('^')) {
            parser.pos++;
        }
        ByteRegex result = parser.alternation();
        if (parser.pos < parser.codePoints.length) {
            throw parser.error("unbalanced ')'");
        }
        return result;
    }

    private ByteRegex alternation() {
        List<ByteRegex> options = new ArrayList<>();
        options.add(sequence());
        while (peekIs('|')) {
            pos++;
            options.add(sequence());
        }
        return ByteRegex.alt(options);
    }

    private ByteRegex sequence() {
        List<ByteRegex> items = new ArrayList<>();
        while (pos < codePoints.length && !peekIs('|') && !peekIs(')')) {
            if (peekIs('$')) {
                if (pos == codePoints.length - 1) {
                    pos++;
                    break;
                }
                throw error("'$' is supported only at the end of the pattern");
            }
            items.add(quantified(atom()));
        }
        return items.size() == 1 ? items.get(0) : new ByteRegex.Seq(items);
    }

    private ByteRegex quantified(ByteRegex atom) {
        ByteRegex result = atom;
        while (pos < codePoints.length) {
            int c = codePoints[pos];
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = ByteRegex.Repeat.UNBOUNDED;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = ByteRegex.Repeat.UNBOUNDED;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{' && pos + 1 < codePoints.length && Character.isDigit(codePoints[pos + 1])) {
                pos++;
                min = number();
                max = min;
                if (peekIs(',')) {
                    pos++;
                    max = peekIs('}') ? ByteRegex.Repeat.UNBOUNDED : number();
                }
                expect('}');
                if (max != ByteRegex.Repeat.UNBOUNDED && max < min) {
                    throw error("repetition {" + min + "," + max + "} has max < min");
                }
            } else {
                return result;
            }
            if (peekIs('?')) {
                pos++;
            } else if (peekIs('+')) {
                throw error("possessive quantifiers are not supported");
            }
            result = new ByteRegex.Repeat(result, min, max);
        }
        return result;
    }

    private int number() {
        int start = pos;
        long value = 0;
        while (pos < codePoints.length && Character.isDigit(codePoints[pos])) {
            value = Math.min(Integer.MAX_VALUE, value * 10 + (codePoints[pos++] - '0'));
        }
        if (pos == start) {
            throw error("a number was expected");
        }
        if (value > MAX_REPEAT) {
            throw error("repetition count " + value + " exceeds the supported " + MAX_REPEAT);
        }
        return (int) value;
    }

    private ByteRegex atom() {
        int c = codePoints[pos++];
        switch (c) {
            case '(' -> {
                if (peekIs('?')) {
                    if (pos + 1 < codePoints.length && codePoints[pos + 1] == ':') {
                        pos += 2;
                    } else {
                        throw error("group constructs '(?...' other than '(?:' (lookaround, flags, named groups)"
                                + " are not supported");
                    }
                }
                ByteRegex inner = alternation();
                expect(')');
                return inner;
            }
            case '[' -> {
                return set(characterClass());
            }
            case '.' -> {
                return set(LINE_TERMINATORS.complement());
            }
            case '\\' -> {
                return set(escape(false));
            }
            case '*', '+', '?' -> throw error("'" + (char) c + "' has nothing to repeat");
            case '^' -> throw error("'^' is supported only at the start of the pattern");
            default -> {
                return set(CodePointSet.of(c));
            }
        }
    }

    private ByteRegex set(CodePointSet chars) {
        return chars.minus(forbidden).toByteRegex();
    }

    /** After '['. */
    private CodePointSet characterClass() {
        boolean negated = peekIs('^');
        if (negated) {
            pos++;
        }
        CodePointSet chars = CodePointSet.EMPTY;
        boolean first = true;
        while (true) {
            if (pos >= codePoints.length) {
                throw error("unterminated character class");
            }
            int c = codePoints[pos];
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[') {
                throw error("nested character classes and set operations are not supported");
            }
            pos++;
            CodePointSet item;
            int single;
            if (c == '\\') {
                item = escape(true);
                single = item.ranges().size() == 1 && item.ranges().get(0)[0] == item.ranges().get(0)[1]
                        ? item.ranges().get(0)[0] : -1;
            } else {
                item = CodePointSet.of(c);
                single = c;
            }
            if (single >= 0 && peekIs('-') && pos + 1 < codePoints.length && codePoints[pos + 1] != ']') {
                pos++;
                int hi = codePoints[pos++];
                if (hi == '\\') {
                    CodePointSet escaped = escape(true);
                    if (escaped.ranges().size() != 1 || escaped.ranges().get(0)[0] != escaped.ranges().get(0)[1]) {
                        throw error("a class range must end in a single character");
                    }
                    hi = escaped.ranges().get(0)[0];
                }
                if (hi < single) {
                    throw error("class range is out of order");
                }
                item = CodePointSet.of(single, hi);
            }
            chars = chars.plus(item);
        }
        return negated ? chars.complement() : chars;
    }

    /** After a backslash: the characters the escape stands for. */
    private CodePointSet escape(boolean inClass) {
        if (pos >= codePoints.length) {
            throw error("the pattern ends in a lone backslash");
        }
        int c = codePoints[pos++];
        return switch (c) {
            case 'd' -> DIGITS;
            case 'D' -> DIGITS.complement();
            case 'w' -> WORD;
            case 'W' -> WORD.complement();
            case 's' -> SPACE;
            case 'S' -> SPACE.complement();
            case 'n' -> CodePointSet.of('\n');
            case 't' -> CodePointSet.of('\t');
            case 'r' -> CodePointSet.of('\r');
            case 'f' -> CodePointSet.of('\f');
            case 'u' -> CodePointSet.of(hex(4));
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw error("escape '\\" + new String(Character.toChars(c)) + "' is not supported");
                }
                yield CodePointSet.of(c);
            }
        };
    }

    private int hex(int digits) {
        int value = 0;
        for (int i = 0; i < digits; i++) {
            if (pos >= codePoints.length || Character.digit(codePoints[pos], 16) < 0) {
                throw error("\\u needs " + digits + " hex digits");
            }
            value = value * 16 + Character.digit(codePoints[pos++], 16);
        }
        return value;
    }

    private boolean peekIs(int c) {
        return pos < codePoints.length && codePoints[pos] == c;
    }

    private void expect(int c) {
        if (!peekIs(c)) {
            throw error("'" + (char) c + "' expected");
        }
        pos++;
    }

    private UnsupportedFormatException error(String what) {
        return new UnsupportedFormatException("regex /" + pattern + "/ at character " + pos + ": " + what);
    }
}
