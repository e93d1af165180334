package io.prefixflow.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link InFlightWork} against a plain queue per subtask, over random sends and acknowledgements. */
class InFlightWorkTest {
    private record Sent(long seq, double tokens) {
    }

    @Test
    void matchesAQueuePerSubtask() {
        int p = 3;
        InFlightWork ledger = new InFlightWork(p);
        @SuppressWarnings("unchecked")
        ArrayDeque<Sent>[] queues = new ArrayDeque[p];
        for (int s = 0; s < p; s++) {
            queues[s] = new ArrayDeque<>();
        }
        SplittableRandom random = new SplittableRandom(5);
        long seq = 1000;
        for (int step = 0; step < 20_000; step++) {
            int s = random.nextInt(p);
            if (random.nextInt(3) > 0) {
                // more sends than acknowledgements: the rings grow past their first size
                double tokens = random.nextInt(1, 600);
                ledger.sent(s, seq, tokens);
                queues[s].add(new Sent(seq, tokens));
                seq++;
            } else {
                long received = seq - random.nextInt(1, 200);
                ledger.received(s, received);
                while (!queues[s].isEmpty() && queues[s].peek().seq() <= received) {
                    queues[s].poll();
                }
            }
            double expected = queues[s].stream().mapToDouble(Sent::tokens).sum();
            assertThat(ledger.tokens(s)).as("step %d subtask %d", step, s).isEqualTo(expected);
            assertThat(ledger.count(s)).isEqualTo(queues[s].size());
        }
    }

    @Test
    void acknowledgingEverythingEmptiesTheLedger() {
        InFlightWork ledger = new InFlightWork(1);
        for (int i = 1; i <= 100; i++) {
            ledger.sent(0, i, 0.1);
        }
        ledger.received(0, 100);
        assertThat(ledger.tokens(0)).isZero();
        assertThat(ledger.count(0)).isZero();
    }

    @Test
    void pastItsCapacityTheOldestCountsAsDelivered() {
        InFlightWork ledger = new InFlightWork(1);
        for (int i = 1; i <= InFlightWork.MAX_ENTRIES + 10; i++) {
            ledger.sent(0, i, 1);
        }
        assertThat(ledger.count(0)).isEqualTo(InFlightWork.MAX_ENTRIES);
        assertThat(ledger.tokens(0)).isEqualTo(InFlightWork.MAX_ENTRIES);
    }
}
