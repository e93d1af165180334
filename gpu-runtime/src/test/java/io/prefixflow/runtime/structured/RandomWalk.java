package io.prefixflow.runtime.structured;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Emits random outputs of an automaton byte by byte, as an unconstrained model would under its mask. */
final class RandomWalk {
    private RandomWalk() {
    }

    /** A random accepted output of at most {@code maxBytes} bytes, or null if the walk got no further. */
    static String emit(ByteDfa dfa, SplittableRandom random, int maxBytes) {
        byte[] out = new byte[maxBytes];
        int state = dfa.start();
        for (int n = 0; n < maxBytes; n++) {
            if (dfa.isFinal(state) || (dfa.isAccepting(state) && random.nextInt(4) == 0)) {
                return new String(Arrays.copyOf(out, n), StandardCharsets.UTF_8);
            }
            int[] options = new int[256];
            int numOptions = 0;
            for (int b = 0; b < 256; b++) {
                if (dfa.next(state, b) != ByteDfa.DEAD) {
                    options[numOptions++] = b;
                }
            }
            int b = options[random.nextInt(numOptions)];
            out[n] = (byte) b;
            state = dfa.next(state, b);
        }
        return dfa.isAccepting(state) ? new String(out, StandardCharsets.UTF_8) : null;
    }

    /** The most bytes an accepted output can have, or {@link Integer#MAX_VALUE} when unbounded (a cycle). */
    static int longestOutputBytes(ByteDfa dfa) {
        int[] memo = new int[dfa.numStates()];
        Arrays.fill(memo, -1);
        return longest(dfa, dfa.start(), memo, new boolean[dfa.numStates()]);
    }

    private static int longest(ByteDfa dfa, int state, int[] memo, boolean[] onPath) {
        if (memo[state] >= 0) {
            return memo[state];
        }
        if (onPath[state]) {
            return Integer.MAX_VALUE;
        }
        onPath[state] = true;
        int best = 0;
        for (int b = 0; b < 256 && best < Integer.MAX_VALUE; b++) {
            int next = dfa.next(state, b);
            if (next != ByteDfa.DEAD) {
                int rest = longest(dfa, next, memo, onPath);
                best = rest == Integer.MAX_VALUE ? rest : Math.max(best, rest + 1);
            }
        }
        onPath[state] = false;
        memo[state] = best;
        return best;
    }
}
