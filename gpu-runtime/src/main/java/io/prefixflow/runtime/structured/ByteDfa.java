package io.prefixflow.runtime.structured;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A deterministic automaton over UTF-8 bytes whose every live state can still reach acceptance: a
 * transition that could never lead to an accepted output is absent ({@code -1}), so an output can only be
 * extended along bytes that keep it completable. Immutable and thread-safe.
 *
 * <p>NOTE: bytes are grouped into classes that every transition treats alike (for JSON usually a few dozen),
 * so the table is {@code numStates x numClasses} ints, not 256 per state.
 */
public final class ByteDfa {
    /** Beyond this many states a constraint is rejected as too large. */
    public static final int MAX_STATES = 100_000;
    /** The state "no valid output continues this way". */
    public static final int DEAD = -1;

    /** byte -> class. */
    private final byte[] classOfByte;
    private final int numClasses;
    /** (state * numClasses + class) -> next state or DEAD. */
    private final int[] next;
    private final boolean[] accepting;
    /** Whether any byte leads on from the state. */
    private final boolean[] hasExit;
    private final int numStates;

    private ByteDfa(byte[] classOfByte, int numClasses, int[] next, boolean[] accepting, int numStates) {
        this.classOfByte = classOfByte;
        this.numClasses = numClasses;
        this.next = next;
        this.accepting = accepting;
        this.numStates = numStates;
        this.hasExit = new boolean[numStates];
        for (int s = 0; s < numStates; s++) {
            for (int c = 0; c < numClasses; c++) {
                if (next[s * numClasses + c] != DEAD) {
                    hasExit[s] = true;
                    break;
                }
            }
        }
    }

    /** The start state. */
    public int start() {
        return 0;
    }

    public int numStates() {
        return numStates;
    }

    /** The state after {@code unsignedByte} (0..255) from {@code state}, or {@link #DEAD}. */
    public int next(int state, int unsignedByte) {
        return next[state * numClasses + classOfByte[unsignedByte]];
    }

    /** The state after all of {@code bytes}, or {@link #DEAD}. */
    public int walk(int state, byte[] bytes) {
        int s = state;
        for (int i = 0; i < bytes.length && s != DEAD; i++) {
            s = next(s, bytes[i] & 0xFF);
        }
        return s;
    }

    /** Whether the bytes read so far form a complete output. */
    public boolean isAccepting(int state) {
        return accepting[state];
    }

    /** Whether the output is complete and nothing may follow it: generation ends here. */
    public boolean isFinal(int state) {
        return accepting[state] && !hasExit[state];
    }

    /** Whether the whole of {@code bytes} is an accepted output. */
    public boolean matches(byte[] bytes) {
        int s = walk(start(), bytes);
        return s != DEAD && accepting[s];
    }

    /** Determinizes {@code regex} (subset construction), then drops states that cannot reach acceptance. */
    static ByteDfa compile(ByteRegex regex) {
        Nfa nfa = new Nfa(regex);
        byte[] classOfByte = new byte[256];
        int numClasses = byteClasses(nfa, classOfByte);
        int[] representative = new int[numClasses];
        for (int b = 255; b >= 0; b--) {
            representative[classOfByte[b]] = b;
        }
        Map<StateSet, Integer> ids = new HashMap<>();
        ArrayDeque<StateSet> work = new ArrayDeque<>();
        int[] table = new int[64 * numClasses];
        boolean[] accepting = new boolean[64];
        StateSet start = closure(nfa, new int[] {nfa.startState}, 1);
        ids.put(start, 0);
        work.add(start);
        int numStates = 1;
        int[] targets = new int[16];
        while (!work.isEmpty()) {
            StateSet set = work.poll();
            int id = ids.get(set);
            if ((id + 1) * numClasses > table.length || id >= accepting.length) {
                table = Arrays.copyOf(table, Math.max(table.length * 2, (id + 1) * numClasses));
                accepting = Arrays.copyOf(accepting, Math.max(accepting.length * 2, id + 1));
            }
            for (int s : set.states) {
                if (s == nfa.acceptState) {
                    accepting[id] = true;
                }
            }
            for (int c = 0; c < numClasses; c++) {
                int b = representative[c];
                int numTargets = 0;
                for (int s : set.states) {
                    ByteClass edge = nfa.edgeSet(s);
                    if (edge != null && edge.contains(b)) {
                        if (numTargets == targets.length) {
                            targets = Arrays.copyOf(targets, numTargets * 2);
                        }
                        targets[numTargets++] = nfa.edgeTarget(s);
                    }
                }
                if (numTargets == 0) {
                    table[id * numClasses + c] = DEAD;
                    continue;
                }
                StateSet target = closure(nfa, targets, numTargets);
                Integer targetId = ids.get(target);
                if (targetId == null) {
                    if (numStates == MAX_STATES) {
                        throw new UnsupportedFormatException("the constraint needs more than " + MAX_STATES
                                + " automaton states; make it smaller (fewer or shorter maxItems, maxLength,"
                                + " nesting, repetitions)");
                    }
                    targetId = numStates++;
                    ids.put(target, targetId);
                    work.add(target);
                }
                table[id * numClasses + c] = targetId;
            }
        }
        return trimmed(classOfByte, numClasses, Arrays.copyOf(table, numStates * numClasses),
                Arrays.copyOf(accepting, numStates), numStates);
    }

    /** Removes transitions into states from which no accepting state can be reached. */
    private static ByteDfa trimmed(byte[] classOfByte, int numClasses, int[] table, boolean[] accepting,
                                   int numStates) {
        // Reverse edges (CSR), then a search backwards from the accepting states.
        int[] firstPred = new int[numStates + 1];
        for (int t : table) {
            if (t != DEAD) {
                firstPred[t + 1]++;
            }
        }
        for (int s = 0; s < numStates; s++) {
            firstPred[s + 1] += firstPred[s];
        }
        int[] preds = new int[firstPred[numStates]];
        int[] fill = Arrays.copyOf(firstPred, numStates);
        for (int i = 0; i < table.length; i++) {
            if (table[i] != DEAD) {
                preds[fill[table[i]]++] = i / numClasses;
            }
        }
        boolean[] live = accepting.clone();
        int[] stack = new int[numStates];
        int top = 0;
        for (int s = 0; s < numStates; s++) {
            if (live[s]) {
                stack[top++] = s;
            }
        }
        while (top > 0) {
            int t = stack[--top];
            for (int i = firstPred[t]; i < firstPred[t + 1]; i++) {
                if (!live[preds[i]]) {
                    live[preds[i]] = true;
                    stack[top++] = preds[i];
                }
            }
        }
        if (!live[0]) {
            throw new UnsupportedFormatException("the constraint matches no output at all");
        }
        for (int i = 0; i < table.length; i++) {
            if (table[i] != DEAD && !live[table[i]]) {
                table[i] = DEAD;
            }
        }
        return new ByteDfa(classOfByte, numClasses, table, accepting, numStates);
    }

    /** Fills {@code classOfByte} so that bytes of one class are in exactly the same edge sets; returns the count. */
    private static int byteClasses(Nfa nfa, byte[] classOfByte) {
        java.util.LinkedHashSet<ByteClass> sets = new java.util.LinkedHashSet<>();
        for (int s = 0; s < nfa.numStates(); s++) {
            if (nfa.edgeSet(s) != null) {
                sets.add(nfa.edgeSet(s));
            }
        }
        ByteClass[] distinct = sets.toArray(new ByteClass[0]);
        Map<String, Integer> classBySignature = new HashMap<>();
        StringBuilder signature = new StringBuilder(distinct.length);
        for (int b = 0; b < 256; b++) {
            signature.setLength(0);
            for (ByteClass set : distinct) {
                signature.append(set.contains(b) ? '1' : '0');
            }
            Integer c = classBySignature.computeIfAbsent(signature.toString(), k -> classBySignature.size());
            if (c > 255) {
                throw new IllegalStateException("more than 256 byte classes");
            }
            classOfByte[b] = (byte) (int) c;
        }
        return classBySignature.size();
    }

    /** The sorted set of NFA states reachable from {@code seeds} by empty edges, seeds included. */
    private static StateSet closure(Nfa nfa, int[] seeds, int numSeeds) {
        java.util.BitSet seen = new java.util.BitSet();
        int[] stack = new int[Math.max(16, numSeeds)];
        int top = 0;
        for (int i = 0; i < numSeeds; i++) {
            if (!seen.get(seeds[i])) {
                seen.set(seeds[i]);
                stack[top++] = seeds[i];
            }
        }
        while (top > 0) {
            int s = stack[--top];
            for (int i = 0; i < nfa.numEmpties(s); i++) {
                int t = nfa.empty(s, i);
                if (!seen.get(t)) {
                    seen.set(t);
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = t;
                }
            }
        }
        // Only states with a byte edge, or the accepting one, matter for what follows.
        int[] states = seen.stream().filter(s -> nfa.edgeSet(s) != null || s == nfa.acceptState).toArray();
        return new StateSet(states);
    }

    /** A set of NFA states as a sorted array, compared by content. */
    private record StateSet(int[] states) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateSet other && Arrays.equals(states, other.states);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(states);
        }
    }
}
