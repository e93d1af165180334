package io.prefixflow.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Stop strings against text that grows piece by piece, as generation makes it: after each piece,
 * {@link StopStringMatcher#findStop} finds the first stop string a plain {@code indexOf} over the whole text
 * finds, and {@link StopStringMatcher#safeLength} holds back exactly the shortest tail that is a proper prefix
 * of some stop string. Seeds: {@code src/test/resources/io/prefixflow/runtime/sampling/StopStringMatcherFuzzTestInputs/grow/}.
 */
class StopStringMatcherFuzzTest {
    @FuzzTest
    void grow(FuzzedDataProvider data) {
        int numStops = data.consumeInt(0, 6);
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < numStops; i++) {
            String stop = data.consumeString(8);
            if (!stop.isEmpty()) {
                stops.add(stop);
            }
        }
        StopStringMatcher matcher = new StopStringMatcher(stops);
        StringBuilder text = new StringBuilder();
        while (data.remainingBytes() > 0) {
            int checkedUpTo = text.length();
            text.append(data.consumeString(6));
            int found = matcher.findStop(text, checkedUpTo);
            // NOTE: generation ends at the first stop found, so no stop lies wholly before checkedUpTo.
            int expected = firstStop(text.toString(), stops);
            assertEquals(expected, found, () -> "findStop in '" + text + "' for " + stops);
            if (found >= 0) {
                return;
            }
            assertEquals(safeLength(text.toString(), stops), matcher.safeLength(text),
                    () -> "safeLength of '" + text + "' for " + stops);
        }
    }

    private static int firstStop(String text, List<String> stops) {
        int best = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** The start of the earliest tail of {@code text} that is a proper prefix of a stop string, or its length. */
    private static int safeLength(String text, List<String> stops) {
        for (int start = 0; start < text.length(); start++) {
            String tail = text.substring(start);
            for (String stop : stops) {
                if (tail.length() < stop.length() && stop.startsWith(tail)) {
                    return start;
                }
            }
        }
        return text.length();
    }
}
