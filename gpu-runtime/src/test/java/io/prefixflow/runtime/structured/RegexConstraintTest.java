package io.prefixflow.runtime.structured;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The byte automaton of a regex accepts exactly the strings java.util.regex matches as a whole. */
class RegexConstraintTest {
    private static final List<String> PATTERNS = List.of(
            "a", "ab|b", "(ab)*", "a+b?", "[a-c]{2,3}", "\\d{3}-\\d{2}", "[^a]*", ".x.", "\\w+\\s\\w*",
            "(a|b|)c{0,2}", "[é中a]+", "(?:x|yy)+z", "^[A-Z][a-z]{0,3}$", "\\.[.]\\-", "[\\d\\-]{1,4}",
            "[^\\s]{2}", "\\W\\S\\D", "colou?r|gr[ae]y", "(a*)*b", "[\\u00e0-\\u00ff]x");

    @Property(tries = 400)
    void dfaAgreesWithJavaRegex(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        ByteDfa dfa = ResponseFormat.regex(pattern).compile();
        boolean expected = Pattern.matches(pattern, text);
        assertEquals(expected, dfa.matches(text.getBytes(StandardCharsets.UTF_8)),
                () -> "/" + pattern + "/ on '" + text + "'");
    }

    @Property(tries = 300)
    void everyStringTheDfaEmitsMatchesJavaRegex(@ForAll("patterns") String pattern, @ForAll long seed) {
        ByteDfa dfa = ResponseFormat.regex(pattern).compile();
        String text = RandomWalk.emit(dfa, new java.util.SplittableRandom(seed), 40);
        net.jqwik.api.statistics.Statistics.collect(text != null);
        if (text != null) {
            assertTrue(Pattern.matches(pattern, text), () -> "/" + pattern + "/ emitted '" + text + "'");
        }
        // a walk that never ends in an accepting state checks nothing: most must
        net.jqwik.api.statistics.Statistics.coverage(c -> c.check(true).percentage(percent -> percent >= 50));
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of(PATTERNS);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("abcxyzAZ019-_. \n\té中\u00e5").ofMaxLength(7);
    }

    @Test
    void matchesTheStringsThePatternIsAbout() {
        ByteDfa dfa = ResponseFormat.regex("\\d{3}-\\d{2}").compile();
        assertTrue(dfa.matches("123-45".getBytes(StandardCharsets.UTF_8)));
        assertTrue(!dfa.matches("123-4".getBytes(StandardCharsets.UTF_8)));
        assertTrue(dfa.isFinal(dfa.walk(dfa.start(), "123-45".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void choiceAcceptsExactlyItsChoicesAndEndsAfterTheLongest() {
        ByteDfa dfa = ResponseFormat.choice(List.of("sunny", "rainy", "rain")).compile();
        int afterRain = dfa.walk(dfa.start(), "rain".getBytes(StandardCharsets.UTF_8));
        assertTrue(dfa.isAccepting(afterRain));
        assertTrue(!dfa.isFinal(afterRain), "rain may still become rainy");
        assertTrue(dfa.isFinal(dfa.walk(afterRain, "y".getBytes(StandardCharsets.UTF_8))));
        assertEquals(ByteDfa.DEAD, dfa.walk(dfa.start(), "sunnyx".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unsupportedSyntaxIsNamed() {
        assertMessage("(?=a)b", "lookaround");
        assertMessage("(a)\\1", "\\1");
        assertMessage("a++", "possessive");
        assertMessage("a^b", "'^'");
        assertMessage("\\p{L}", "\\p");
        assertMessage("a{1000}", "1000");
    }

    private static void assertMessage(String pattern, String expectedPart) {
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> ResponseFormat.regex(pattern).compile());
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }
}
