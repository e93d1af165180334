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
 * the latest report of each subtask of its own job to the router and skips everything else.
 */
class LoadFeedbackITCase {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** Keeps the last report per subtask; routes nothing. */
    private static final class LastReports implements Router {
        final Map<Integer, Double> tokens = new ConcurrentHashMap<>();

        @Override
        public RoutingDecision route(RouteRequest request, long nowMs) {
            throw new UnsupportedOperationException("not routed in this test");
        }

        @Override
        public void reportLoad(int subtask, double outstandingTokens, long nowMs) {
            tokens.put(subtask, outstandingTokens);
        }
    }

    @Test
    @Timeout(90)
    void latestReportsOfItsJobReachTheRouter() throws Exception {
        KafkaLoadChannel channel = new KafkaLoadChannel(KAFKA.kafka().bootstrapServers(), "prompts.load", 50);
        AtomicLong first = new AtomicLong(1234);
        AtomicLong second = new AtomicLong(99);
        LastReports router = new LastReports();
        try (LoadSubscriber subscriber = channel.startSubscriber("job-a", 2);
             LoadPublisher p0 = channel.startPublisher("job-a", 0, first::get);
             LoadPublisher p1 = channel.startPublisher("job-a", 1, second::get);
             LoadPublisher other = channel.startPublisher("job-b", 0, () -> 7);
             LoadPublisher beyond = channel.startPublisher("job-a", 5, () -> 8)) {
            awaitReports(subscriber, router, Map.of(0, 1234.0, 1, 99.0));
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
    void aReportRoundTripsAndBadBytesAreRefusedByName() {
        LoadReport report = new LoadReport("job", 3, 4096, 1_700_000_000_000L);
        assertThat(LoadReport.decode(report.encode())).isEqualTo(report);
        byte[] bytes = report.encode();
        assertThatThrownBy(() -> LoadReport.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        bytes[0] = 2;
        assertThatThrownBy(() -> LoadReport.decode(bytes)).hasMessageContaining("version 2");
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
