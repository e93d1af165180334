package io.prefixflow.operator.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefixflow.operator.routing.RouteRequest;
import io.prefixflow.operator.routing.Router;
import io.prefixflow.operator.routing.RoutingDecision;
import io.prefixflow.operator.testing.EmbeddedKafkaExtension;
import io.prefixflow.operator.testing.KafkaJobTesting;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The load channel on a real broker: publishers create the topic and report every interval; a subscriber hands
 * the latest report of each subtask of its own job to the router, with the last route sequence number that
 * subtask took from this router, and skips everything else.
 */
class LoadFeedbackITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** Keeps the last report per subtask; routes nothing. */
    private static final class LastReports implements Router {
        final Map<Integer, Double> tokens = new ConcurrentHashMap<>();
        final Map<Integer, Long> receivedSeqs = new ConcurrentHashMap<>();

        @Override
        public RoutingDecision route(RouteRequest request, long nowMs) {
            throw new UnsupportedOperationException("not routed in this test");
        }

        @Override
        public void reportLoad(int subtask, double outstandingTokens, long receivedRouteSeq, long nowMs) {
            tokens.put(subtask, outstandingTokens);
            receivedSeqs.put(subtask, receivedRouteSeq);
        }
    }

    @Test
    @Timeout(90)
    void latestReportsOfItsJobReachTheRouter() throws Exception {
        KafkaLoadChannel channel = new KafkaLoadChannel(KAFKA.kafka().bootstrapServers(), "prompts.load", 50);
        AtomicLong first = new AtomicLong(1234);
        AtomicLong second = new AtomicLong(99);
        LastReports router = new LastReports();
        // this subscriber routes as prepare subtask 1: it reads the second sequence number of each report
        try (LoadSubscriber subscriber = channel.startSubscriber("job-a", 2, 1);
             LoadPublisher p0 = channel.startPublisher("job-a", 0, first::get, () -> new long[] {5, 41});
             LoadPublisher p1 = channel.startPublisher("job-a", 1, second::get, () -> new long[] {6});
             LoadPublisher other = channel.startPublisher("job-b", 0, () -> 7, () -> new long[0]);
             LoadPublisher beyond = channel.startPublisher("job-a", 5, () -> 8, () -> new long[0])) {
            awaitReports(subscriber, router, Map.of(0, 1234.0, 1, 99.0));
            // subtask 1 took nothing from router 1 (its report has no entry for it): 0
            assertThat(router.receivedSeqs).isEqualTo(Map.of(0, 41L, 1, 0L));
            first.set(40_000);
            awaitReports(subscriber, router, Map.of(0, 40_000.0, 1, 99.0));
            KafkaJobTesting.produceRaw(KAFKA.kafka(), "prompts.load", List.<byte[][]>of(new byte[][] {null, new byte[] {9, 9, 9}}));
            long deadline = System.nanoTime() + 30_000_000_000L;
            // job-b's and subtask 5's reports and the garbage record are all skipped
            while (subscriber.numSkipped() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(subscriber.numSkipped()).isGreaterThanOrEqualTo(3);
            assertThat(router.tokens).containsOnlyKeys(0, 1);
        }
    }

    @Test
    @Timeout(90)
    void aNudgePublishesLongBeforeTheInterval() throws Exception {
        // an hour between periodic reports: a report that arrives within the test can only come from a nudge
        KafkaLoadChannel channel = new KafkaLoadChannel(KAFKA.kafka().bootstrapServers(), "nudged.load", 3_600_000);
        LastReports router = new LastReports();
        try (LoadSubscriber subscriber = channel.startSubscriber("job-n", 1, 0);
             LoadPublisher publisher = channel.startPublisher("job-n", 0, () -> 321, () -> new long[] {9})) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            // nudged again until one arrives: the subscriber may start reading after the first went out
            while (!router.tokens.containsKey(0) && System.nanoTime() < deadline) {
                publisher.nudge();
                Thread.sleep(50);
                subscriber.drainTo(router, System.currentTimeMillis());
            }
            assertThat(router.tokens).containsEntry(0, 321.0);
            assertThat(router.receivedSeqs).containsEntry(0, 9L);
        }
    }

    @Test
    @Timeout(90)
    void anUnchangedReportIsOnlyRepeatedAsAKeepAlive() throws Exception {
        int intervalMs = 20;
        KafkaLoadChannel channel = new KafkaLoadChannel(KAFKA.kafka().bootstrapServers(), "quiet.load", intervalMs);
        AtomicLong tokens = new AtomicLong(500);
        LastReports router = new LastReports();
        try (LoadSubscriber subscriber = channel.startSubscriber("job-q", 1, 0);
             LoadPublisher publisher = channel.startPublisher("job-q", 0, tokens::get, () -> new long[] {3})) {
            awaitReports(subscriber, router, Map.of(0, 500.0));
            long before = subscriber.numReports();
            long startNanos = System.nanoTime();
            Thread.sleep(2_000);
            double elapsedIntervals = (System.nanoTime() - startNanos) / 1e6 / intervalMs;
            long quiet = subscriber.numReports() - before;
            // every interval would be ~100 reports; keep-alives alone at most one per KEEP_ALIVE_INTERVALS
            assertThat(quiet).isBetween(1L, (long) (elapsedIntervals / LoadPublisher.KEEP_ALIVE_INTERVALS) + 2);
            tokens.set(777);
            awaitReports(subscriber, router, Map.of(0, 777.0));
        }
    }

    @Test
    void aReportRoundTripsAndBadBytesAreRefusedByName() {
        LoadReport report = new LoadReport("job", 3, 4096, 1_700_000_000_000L, new long[] {0, 17, 1L << 50});
        assertThat(LoadReport.decode(report.encode())).isEqualTo(report);
        byte[] bytes = report.encode();
        assertThatThrownBy(() -> LoadReport.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThat(LoadReport.decode(bytes).receivedRouteSeq(2)).isEqualTo(1L << 50);
        assertThat(LoadReport.decode(bytes).receivedRouteSeq(7)).isZero();
        bytes[0] = 1;
        assertThatThrownBy(() -> LoadReport.decode(bytes)).hasMessageContaining("version 1");
    }

    private static void awaitReports(LoadSubscriber subscriber, LastReports router, Map<Integer, Double> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!router.tokens.equals(expected) && System.nanoTime() < deadline) {
            subscriber.drainTo(router, System.currentTimeMillis());
            Thread.sleep(20);
        }
        assertThat(router.tokens).isEqualTo(expected);
    }
}
