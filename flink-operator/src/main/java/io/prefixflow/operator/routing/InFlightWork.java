package io.prefixflow.operator.routing;

/**
 * The work one router sent each inference subtask that the subtask's latest load report does not yet include:
 * per subtask, the (route sequence number, tokens) of each such request, in sequence order.
 *
 * <p>NOTE: why sequence numbers. A report is measured at the subtask, and the requests routed shortly before it
 * may still sit in Flink's network buffers (up to the buffer timeout, 100 ms by default, as long as the report
 * interval) or behind a busy task thread. Counting only what was sent after the report arrived drops those
 * requests from the view, so the router sends more to the subtask that is slow to take its input. With the
 * sequence number of the last request the subtask had taken, the report's figure plus the entries after it is
 * every request this router sent there, each counted once.
 */
final class InFlightWork {
    /** Entries kept per subtask at most; past it the oldest counts as delivered (reports have stopped). */
    static final int MAX_ENTRIES = 1 << 16;

    private final long[][] seqs;
    private final double[][] tokens;
    private final int[] head;
    private final int[] size;
    private final double[] sumTokens;

    InFlightWork(int numSubtasks) {
        seqs = new long[numSubtasks][8];
        tokens = new double[numSubtasks][8];
        head = new int[numSubtasks];
        size = new int[numSubtasks];
        sumTokens = new double[numSubtasks];
    }

    /** Records a request of {@code workTokens} sent to {@code subtask} as number {@code seq} (increasing). */
    void sent(int subtask, long seq, double workTokens) {
        if (size[subtask] == MAX_ENTRIES) {
            dropOldest(subtask);
        }
        if (size[subtask] == seqs[subtask].length) {
            grow(subtask);
        }
        int at = (head[subtask] + size[subtask]) & (seqs[subtask].length - 1);
        seqs[subtask][at] = seq;
        tokens[subtask][at] = workTokens;
        size[subtask]++;
        sumTokens[subtask] += workTokens;
    }

    /** The subtask has taken every request up to number {@code receivedSeq}: they leave the ledger. */
    void received(int subtask, long receivedSeq) {
        while (size[subtask] > 0 && seqs[subtask][head[subtask]] <= receivedSeq) {
            dropOldest(subtask);
        }
        if (size[subtask] == 0) {
            sumTokens[subtask] = 0; // no drift from adding and subtracting doubles
        }
    }

    /** Tokens sent to {@code subtask} and not yet received by it. */
    double tokens(int subtask) {
        return sumTokens[subtask];
    }

    /** Requests sent to {@code subtask} and not yet received by it. */
    int count(int subtask) {
        return size[subtask];
    }

    private void dropOldest(int subtask) {
        sumTokens[subtask] -= tokens[subtask][head[subtask]];
        head[subtask] = (head[subtask] + 1) & (seqs[subtask].length - 1);
        size[subtask]--;
    }

    private void grow(int subtask) {
        int n = seqs[subtask].length;
        long[] s = new long[n * 2];
        double[] t = new double[n * 2];
        for (int i = 0; i < size[subtask]; i++) {
            int from = (head[subtask] + i) & (n - 1);
            s[i] = seqs[subtask][from];
            t[i] = tokens[subtask][from];
        }
        seqs[subtask] = s;
        tokens[subtask] = t;
        head[subtask] = 0;
    }
}
