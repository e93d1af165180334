package io.prefixflow.runtime.sampling;

import java.util.List;

/**
 * Finds stop strings in generated text as it grows, and says how much of the text is safe to stream
 * (text that could still turn out to be the start of a stop string is held back).
 */
public final class StopStringMatcher {
    private final List<String> stopStrings;
    private final int longest;

    public StopStringMatcher(List<String> stopStrings) {
        this.stopStrings = List.copyOf(stopStrings);
        this.longest = stopStrings.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * Index in {@code text} where the earliest stop string starts, looking only at matches that end at
     * or after {@code newFrom} (the text before it was checked already), or -1.
     */
    public int findStop(CharSequence text, int newFrom) {
        int best = -1;
        String s = text.toString();
        for (String stop : stopStrings) {
            int from = Math.max(0, newFrom - stop.length() + 1);
            int at = s.indexOf(stop, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the prefix of {@code text} that no stop string can still begin inside. */
    public int safeLength(CharSequence text) {
        if (longest == 0) {
            return text.length();
        }
        int n = text.length();
        for (int start = Math.max(0, n - longest + 1); start < n; start++) {
            for (String stop : stopStrings) {
                int len = Math.min(stop.length(), n - start);
                if (len < stop.length() && stop.regionMatches(0, text.toString(), start, len)) {
                    return start;
                }
            }
        }
        return n;
    }
}
