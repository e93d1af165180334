package io.prefixflow.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringMatcherTest {
    private final StopStringMatcher matcher = new StopStringMatcher(List.of("\n\n", "THE END"));

    @Test
    void findsTheEarliestStopStringIncludingOneThatStraddlesTheCheckedPart() {
        assertEquals(-1, matcher.findStop("Once upon a time", 0));
        assertEquals(4, matcher.findStop("Once\n\nupon", 0));
        // "\n" was checked already; the second "\n" arrives with the new text.
        assertEquals(4, matcher.findStop("Once\n\n", 5));
        assertEquals(3, matcher.findStop("Ok THE END\n\n", 4));
    }

    @Test
    void holdsBackTextThatMayStillBecomeAStopString() {
        assertEquals(10, matcher.safeLength("The story THE E"));
        assertEquals(4, matcher.safeLength("Once\n"));
        assertEquals(10, matcher.safeLength("The story "));
        assertEquals(3, new StopStringMatcher(List.of()).safeLength("abc"));
    }
}
