package io.prefixflow.runtime.sampling;

import java.util.List;

/**
 * Finds stop strings in generated text as it grows, and says how much of the text is safe to stream
 * (text that could still turn out to be the start of a stop string is held back).
 *
 * <p>Both checks look only at the end of the text (at most the longest stop string back), so each
 * generated token costs the same however long the text has grown.
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
        if (longest == 0) {
            return -1;
        }
        int windowStart = Math.max(0, newFrom - longest + 1);
        String window = text.subSequence(windowStart, text.length()).toString();
        int best = -1;
        for (String stop : stopStrings) {
            int from = Math.max(0, newFrom - stop.length() + 1) - windowStart;
            int at = window.indexOf(stop, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best < 0 ? -1 : windowStart + best;
    }

    /** Length of the prefix of {@code text} that no stop string can still begin inside. */
    public int safeLength(CharSequence text) {
        int n = text.length();
        for (int start = Math.max(0, n - longest + 1); start < n; start++) {
            for (String stop : stopStrings) {
                if (n - start < stop.length() && endsWithPrefixOf(text, start, stop)) {
                    return start;
                }
            }
        }
        return n;
    }

    /** Whether {@code text[start..]} equals the first {@code text.length() - start} chars of {@code stop}. */
    private static boolean endsWithPrefixOf(CharSequence text, int start, String stop) {
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) != stop.charAt(i - start)) {
                return false;
            }
        }
        return true;
    }
}
