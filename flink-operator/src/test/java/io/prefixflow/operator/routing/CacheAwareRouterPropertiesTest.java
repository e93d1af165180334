package io.prefixflow.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of {@link CacheAwareRouter} over random traffic: least loaded among candidates, determinism, bounds. */
class CacheAwareRouterPropertiesTest {
    private static final int BLOCK = 16;
    private static final BlockHash NS = BlockHasher.namespace("model", "");
    private static final BlockHash OTHER_NS = BlockHasher.namespace("model", "tenant-b");

    /** One routed request: which of a few shared prefixes, its own suffix, max_tokens, time step, tenant. */
    record Step(int prefix, int prefixBlocks, int suffixTokens, int maxTokens, int advanceMs, boolean otherTenant,
                boolean keyed) {
        RouteRequest toRequest(int index) {
            int[] tokens = new int[prefixBlocks * BLOCK + suffixTokens + 1];
            for (int i = 0; i < prefixBlocks * BLOCK; i++) {
                tokens[i] = 1000 * prefix + i;
            }
            for (int i = prefixBlocks * BLOCK; i < tokens.length; i++) {
                tokens[i] = 500_000 + index * 97 + i;
            }
            return new RouteRequest(keyed ? "conversation-" + prefix : null, tokens, maxTokens,
                    otherTenant ? OTHER_NS : NS);
        }
    }

    @Provide
    Arbitrary<List<Step>> traffic() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 80),
                Arbitraries.integers().between(0, 300),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 500)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1_000, 120_000))),
                Arbitraries.integers().between(0, 9).map(i -> i == 0),
                Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 200)
    void theChosenSubtaskIsWithinTheBoundOfItsCandidates(@ForAll("traffic") List<Step> traffic,
                                                @ForAll @IntRange(min = 1, max = 12) int numSubtasks,
                                                @ForAll @IntRange(min = 1, max = 4) int numRouters,
                                                @ForAll @IntRange(min = 0, max = 4096) int absTokens,
                                                @ForAll @IntRange(min = 100, max = 200) int relPercent) {
        CacheAwareRouter router = new CacheAwareRouter(
                new CacheAwareConfig(1_000, absTokens, relPercent / 100.0, 10_000, 60_000, 0),
                numSubtasks, numRouters, 0, BLOCK);
        long now = 1_000_000;
        for (int i = 0; i < traffic.size(); i++) {
            Step step = traffic.get(i);
            now += step.advanceMs();
            RouteRequest request = step.toRequest(i);
            double[] before = new double[numSubtasks];
            for (int s = 0; s < numSubtasks; s++) {
                before[s] = router.load(s);
            }
            RoutingDecision d = router.route(request, now);
            int[] candidates = router.lastCandidates();
            assertThat(candidates).as("request %d", i).contains(d.subtask());
            // the estimate decays (half-life 10 s per router) before the decision reads it
            double scale = i == 0 ? 1 : Math.pow(0.5, step.advanceMs() / (10_000.0 * numRouters));
            for (int c : candidates) {
                assertThat(before[d.subtask()] * scale).as("request %d: load of %d vs candidate %d", i, d.subtask(), c)
                        .isLessThanOrEqualTo(before[c] * scale + (double) absTokens / numRouters + 1e-6);
            }
            assertThat(d.subtask()).isBetween(0, numSubtasks - 1);
            assertThat(d.workTokens()).isEqualTo(request.promptTokens().length - d.matchedPromptTokens()
                    + (long) request.maxTokens());
        }
    }

    @Property(tries = 100)
    void withReportsNoSubtaskIsSentWorkWhileOverTheBound(@ForAll("traffic") List<Step> traffic,
                                                         @ForAll @IntRange(min = 1, max = 16) int numSubtasks,
                                                         @ForAll @IntRange(min = 0, max = 4096) int absTokens,
                                                         @ForAll @IntRange(min = 100, max = 200) int relPercent,
                                                         @ForAll long seed) {
        double rel = relPercent / 100.0;
        CacheAwareRouter router = new CacheAwareRouter(
                new CacheAwareConfig(1_000, absTokens, rel, 10_000, 60_000, 100), numSubtasks, numSubtasks, 0, BLOCK);
        java.util.Random reports = new java.util.Random(seed);
        long now = 1_000_000;
        long lastReportMs = Long.MIN_VALUE;
        for (int i = 0; i < traffic.size(); i++) {
            Step step = traffic.get(i);
            now += Math.min(step.advanceMs(), 1_000);
            if (reports.nextInt(3) == 0) {
                for (int s = 0; s < numSubtasks; s++) {
                    router.reportLoad(s, reports.nextInt(4) == 0 ? 0 : reports.nextInt(20_000), now);
                }
                lastReportMs = now;
            }
            if (lastReportMs == Long.MIN_VALUE || now - lastReportMs > 20 * 100) {
                router.route(step.toRequest(i), now); // no fresh report: the estimate decides (other properties)
                continue;
            }
            RouteRequest request = step.toRequest(i);
            // reports keep the views fixed between decisions, so the views before this one are readable now
            router.route(new RouteRequest(null, new int[] {1}, 0, NS), now);
            double[] before = new double[numSubtasks];
            double mean = 0;
            for (int s = 0; s < numSubtasks; s++) {
                before[s] = router.load(s);
                mean += before[s] / numSubtasks;
            }
            RoutingDecision d = router.route(request, now);
            assertThat(before[d.subtask()]).as("request %d to %d (reason %s), mean %.1f", i, d.subtask(), d.reason(),
                    mean).isLessThanOrEqualTo(rel * mean + absTokens + 1e-6);
        }
    }

    @Property(tries = 50)
    void sameInputSameDecisions(@ForAll("traffic") List<Step> traffic,
                                @ForAll @IntRange(min = 1, max = 16) int numSubtasks) {
        CacheAwareConfig config = new CacheAwareConfig(64, 512, 1.1, 5_000, 30_000, 0);
        CacheAwareRouter a = new CacheAwareRouter(config, numSubtasks, 1, 0, BLOCK);
        CacheAwareRouter b = new CacheAwareRouter(config, numSubtasks, 1, 0, BLOCK);
        long now = 0;
        List<RoutingDecision> first = new ArrayList<>();
        List<RoutingDecision> second = new ArrayList<>();
        for (int i = 0; i < traffic.size(); i++) {
            now += traffic.get(i).advanceMs();
            first.add(a.route(traffic.get(i).toRequest(i), now));
        }
        now = 0;
        for (int i = 0; i < traffic.size(); i++) {
            now += traffic.get(i).advanceMs();
            second.add(b.route(traffic.get(i).toRequest(i), now));
        }
        assertThat(second).isEqualTo(first);
    }

    @Property(tries = 100)
    void indexStaysWithinItsCapacity(@ForAll("traffic") List<Step> traffic,
                                     @ForAll @IntRange(min = 1, max = 40) int capacity) {
        CacheAwareRouter router = new CacheAwareRouter(new CacheAwareConfig(capacity, 512, 1.1, 5_000, 30_000, 0),
                4, 1, 0, BLOCK);
        long now = 0;
        for (int i = 0; i < traffic.size(); i++) {
            now += traffic.get(i).advanceMs();
            router.route(traffic.get(i).toRequest(i), now);
            assertThat(router.indexSize()).isLessThanOrEqualTo(capacity);
        }
    }
}
