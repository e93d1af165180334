package io.prefixflow.runtime.tokenizer;

import java.util.PriorityQueue;

/**
 * Greedy merging of adjacent symbols, the loop shared by run.c's encode, llama.cpp's SentencePiece BPE and
 * byte-level BPE: repeatedly join the adjacent pair with the highest priority, ties to the leftmost pair.
 *
 * <p>Symbols are spans of one string ({@code text}); merging two adjacent spans makes one span covering
 * both. A priority queue with lazy invalidation keeps this O(n log n) instead of run.c's rescans.
 *
 * <p>NOTE: a queued pair is stale when either side has changed since it was queued. Only the left symbol
 * ever grows (it absorbs its right neighbour), so "both alive and their total length is unchanged" is an
 * exact staleness test, the one llama.cpp uses.
 */
final class PairMerger {
    /** Priority of merging two adjacent spans; {@link #NO_MERGE} when they must not merge. */
    @FunctionalInterface
    interface PairPriority {
        /** Spans {@code [leftStart, splitAt)} and {@code [splitAt, end)} of the text. Higher merges first. */
        double priority(String text, int leftStart, int splitAt, int end);
    }

    static final double NO_MERGE = Double.NEGATIVE_INFINITY;

    private record Candidate(double priority, int left, int right, int mergedLength) {
    }

    private PairMerger() {
    }

    /**
     * Merges the symbols whose start offsets are {@code symbolStarts} (ascending, the first one 0, each
     * running to the next start or to the end of {@code text}).
     *
     * @return the start offsets of the final symbols; each runs to the next start or the end of the text
     */
    static int[] merge(String text, int[] symbolStarts, PairPriority rule) {
        int numSymbols = symbolStarts.length;
        int[] start = symbolStarts.clone();
        int[] length = new int[numSymbols];
        int[] prev = new int[numSymbols];
        int[] next = new int[numSymbols];
        for (int i = 0; i < numSymbols; i++) {
            int end = i + 1 < numSymbols ? symbolStarts[i + 1] : text.length();
            length[i] = end - start[i];
            prev[i] = i - 1;
            next[i] = i + 1 < numSymbols ? i + 1 : -1;
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(1, numSymbols),
                (a, b) -> a.priority != b.priority ? Double.compare(b.priority, a.priority)
                        : Integer.compare(a.left, b.left));
        for (int i = 0; i + 1 < numSymbols; i++) {
            offer(queue, text, rule, start, length, i, i + 1);
        }
        int numAlive = numSymbols;
        while (!queue.isEmpty()) {
            Candidate c = queue.poll();
            int left = c.left;
            int right = c.right;
            if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != c.mergedLength) {
                continue;
            }
            length[left] += length[right];
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            numAlive--;
            if (prev[left] >= 0) {
                offer(queue, text, rule, start, length, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(queue, text, rule, start, length, left, next[left]);
            }
        }
        int[] result = new int[numAlive];
        int n = 0;
        for (int i = numSymbols == 0 ? -1 : 0; i >= 0; i = next[i]) {
            result[n++] = start[i];
        }
        return result;
    }

    private static void offer(PriorityQueue<Candidate> queue, String text, PairPriority rule, int[] start,
                              int[] length, int left, int right) {
        int end = start[right] + length[right];
        double priority = rule.priority(text, start[left], start[right], end);
        if (priority > NO_MERGE) { // also rejects NaN
            queue.add(new Candidate(priority, left, right, end - start[left]));
        }
    }
}
