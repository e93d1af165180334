package io.prefixflow.runtime.structured;

import java.util.Arrays;

/**
 * A Thompson-style NFA over bytes. Each state has either one byte-set edge or any number of empty edges.
 * Built by continuation: {@link #compile} returns the entry state of a regex that continues at a given
 * state, so shared suffixes (optional object properties) cost no copies.
 */
final class Nfa {
    /** Beyond this many states a constraint is rejected as too large. */
    static final int MAX_STATES = 400_000;

    private ByteClass[] edgeSet = new ByteClass[64];
    private int[] edgeTarget = new int[64];
    private int[][] empties = new int[64][];
    private int[] numEmpties = new int[64];
    private int numStates;
    private final java.util.Map<Shared, Integer> compiled = new java.util.HashMap<>();
    final int acceptState;
    final int startState;

    Nfa(ByteRegex regex) {
        acceptState = newState();
        startState = compile(regex, acceptState);
    }

    int numStates() {
        return numStates;
    }

    ByteClass edgeSet(int state) {
        return edgeSet[state];
    }

    int edgeTarget(int state) {
        return edgeTarget[state];
    }

    int numEmpties(int state) {
        return numEmpties[state];
    }

    int empty(int state, int i) {
        return empties[state][i];
    }

    /**
     * NOTE: a regex object compiled twice with the same continuation gives the same entry state (the
     * fragment's language depends on nothing else), so regexes shared as objects are built once.
     */
    private int compile(ByteRegex regex, int next) {
        if (regex instanceof ByteRegex.Bytes) {
            return compileFresh(regex, next);
        }
        Shared key = new Shared(regex, next);
        Integer entry = compiled.get(key);
        if (entry == null) {
            entry = compileFresh(regex, next);
            compiled.put(key, entry);
        }
        return entry;
    }

    private int compileFresh(ByteRegex regex, int next) {
        if (regex instanceof ByteRegex.Bytes bytes) {
            int s = newState();
            edgeSet[s] = bytes.set();
            edgeTarget[s] = next;
            return s;
        }
        if (regex instanceof ByteRegex.Seq seq) {
            int entry = next;
            for (int i = seq.items().size() - 1; i >= 0; i--) {
                entry = compile(seq.items().get(i), entry);
            }
            return entry;
        }
        if (regex instanceof ByteRegex.Alt alt) {
            int s = newState();
            for (ByteRegex option : alt.options()) {
                addEmpty(s, compile(option, next));
            }
            return s;
        }
        ByteRegex.Repeat repeat = (ByteRegex.Repeat) regex;
        int entry;
        if (repeat.max() == ByteRegex.Repeat.UNBOUNDED) {
            int loop = newState();
            addEmpty(loop, next);
            addEmpty(loop, compile(repeat.item(), loop));
            entry = loop;
        } else {
            // x{0,k} as (x(x(x)?)?)?: each optional copy either stops here or takes one more.
            entry = next;
            for (int i = repeat.min(); i < repeat.max(); i++) {
                int s = newState();
                addEmpty(s, next);
                addEmpty(s, compile(repeat.item(), entry));
                entry = s;
            }
        }
        for (int i = 0; i < repeat.min(); i++) {
            entry = compile(repeat.item(), entry);
        }
        return entry;
    }

    private int newState() {
        if (numStates == MAX_STATES) {
            throw new UnsupportedFormatException("the constraint needs more than " + MAX_STATES
                    + " automaton states; make it smaller (fewer or shorter maxItems, maxLength, repetitions)");
        }
        if (numStates == edgeTarget.length) {
            int capacity = numStates * 2;
            edgeSet = Arrays.copyOf(edgeSet, capacity);
            edgeTarget = Arrays.copyOf(edgeTarget, capacity);
            empties = Arrays.copyOf(empties, capacity);
            numEmpties = Arrays.copyOf(numEmpties, capacity);
        }
        edgeTarget[numStates] = -1;
        return numStates++;
    }

    private void addEmpty(int state, int target) {
        int[] list = empties[state];
        if (list == null) {
            list = new int[2];
        } else if (numEmpties[state] == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
        }
        list[numEmpties[state]++] = target;
        empties[state] = list;
    }

    /** A regex object (by identity) and the state it continues at. */
    private record Shared(ByteRegex regex, int next) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Shared other && other.regex == regex && other.next == next;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(regex) * 31 + next;
        }
    }
}
