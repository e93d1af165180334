package io.prefixflow.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Placement decisions of {@link CacheAwareRouter} on the traffic shapes it exists for. */
class CacheAwareRouterTest {
    private static final int BLOCK = 16;
    private static final BlockHash NS = BlockHasher.namespace("model", "");
    private static final CacheAwareConfig CONFIG = new CacheAwareConfig(100_000, 1024, 1.1, 10_000, 60_000, 0);

    /** A 256-token system prompt, then a unique 32-token question. */
    private static RouteRequest behindSystemPrompt(int system, int i, int maxTokens) {
        int[] tokens = new int[256 + 32];
        for (int t = 0; t < 256; t++) {
            tokens[t] = system * 10_000 + t;
        }
        for (int t = 256; t < tokens.length; t++) {
            tokens[t] = 1_000_000 + i * 64 + t;
        }
        return new RouteRequest(null, tokens, maxTokens, NS);
    }

    @Test
    void oneHotSystemPromptSpreadsOverEverySubtaskButStaysCached() {
        int p = 4;
        CacheAwareRouter router = new CacheAwareRouter(CONFIG, p, 1, 0, BLOCK);
        int[] perSubtask = new int[p];
        Map<RoutingReason, Integer> reasons = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            RoutingDecision d = router.route(behindSystemPrompt(0, i, 16), 0);
            perSubtask[d.subtask()]++;
            reasons.merge(d.reason(), 1, Integer::sum);
        }
        for (int s = 0; s < p; s++) {
            assertThat(perSubtask[s]).as("requests on subtask %d", s).isBetween(80, 120);
        }
        assertThat(reasons.get(RoutingReason.COLD)).isEqualTo(1);
        assertThat(reasons.get(RoutingReason.OVERLOAD)).as("one spill per extra replica").isEqualTo(p - 1);
        assertThat(reasons.get(RoutingReason.PREFIX_HIT)).isEqualTo(400 - p);
    }

    @Test
    void independentRoutersSpreadAHotPrefixEvenly() {
        for (int p : new int[] {2, 8, 32, 128}) {
            CacheAwareRouter[] routers = new CacheAwareRouter[p];
            for (int r = 0; r < p; r++) {
                routers[r] = new CacheAwareRouter(CONFIG, p, p, r, BLOCK);
            }
            int[] perSubtask = new int[p];
            for (int i = 0; i < 41 * p; i++) {
                int subtask = routers[i % p].route(behindSystemPrompt(7, i, 64), i * 50L / p).subtask();
                if (i >= p) {
                    // NOTE: each router's first sight of the prefix is pinned by content (it cannot know yet that
                    // the prefix is hot), so the p first requests meet on one or two subtasks: a start-up
                    // transient, left out here
                    perSubtask[subtask]++;
                }
            }
            int max = java.util.Arrays.stream(perSubtask).max().orElseThrow();
            assertThat(max / 40.0).as("max/mean at p=%d: %s", p, java.util.Arrays.toString(perSubtask))
                    .isLessThanOrEqualTo(1.1);
        }
    }

    @Test
    void aLightlyLoadedPrefixStaysOnOneSubtask() {
        CacheAwareRouter router = new CacheAwareRouter(CONFIG, 8, 1, 0, BLOCK);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            // one request every 5 s: the estimate decays long before the next arrives
            used.add(router.route(behindSystemPrompt(1, i, 16), i * 5_000L).subtask());
        }
        assertThat(used).hasSize(1);
    }

    @Test
    void aCooledPrefixLosesItsExtraReplicas() {
        int p = 4;
        CacheAwareRouter router = new CacheAwareRouter(CONFIG, p, 1, 0, BLOCK);
        for (int i = 0; i < 200; i++) {
            router.route(behindSystemPrompt(2, i, 16), 0);
        }
        BlockHash systemPromptEnd = BlockHasher.hashFullBlocks(behindSystemPrompt(2, 0, 16).promptTokens(), BLOCK, NS)
                .get(15);
        assertThat(router.replicasOf(systemPromptEnd)).as("hot: replicated").isEqualTo(p);
        Set<Integer> coolSubtasks = new HashSet<>();
        long now = 0;
        for (int i = 0; i < 40; i++) {
            now += 5_000;
            RoutingDecision d = router.route(behindSystemPrompt(2, 1000 + i, 16), now);
            assertThat(d.reason()).isEqualTo(RoutingReason.PREFIX_HIT);
            if (now > 120_000) {
                coolSubtasks.add(d.subtask());
            }
        }
        assertThat(coolSubtasks).as("cool: its two first replicas serve it").hasSize(CacheAwareRouter.MIN_CHOICES);
        assertThat(router.replicasOf(systemPromptEnd)).as("idle replicas forgotten")
                .isEqualTo(CacheAwareRouter.MIN_CHOICES);
    }

    @Test
    void aCacheKeyKeepsAGrowingConversationOnItsSubtask() {
        CacheAwareRouter router = new CacheAwareRouter(CONFIG, 8, 1, 0, BLOCK);
        Map<String, Integer> home = new HashMap<>();
        int[][] history = new int[6][0];
        for (int turn = 0; turn < 10; turn++) {
            for (int c = 0; c < history.length; c++) {
                int[] next = java.util.Arrays.copyOf(history[c], history[c].length + 40);
                for (int t = history[c].length; t < next.length; t++) {
                    next[t] = c * 100_000 + turn * 1000 + t;
                }
                history[c] = next;
                RoutingDecision d = router.route(new RouteRequest("conversation-" + c, next, 40, NS),
                        turn * 2_000L);
                Integer previous = home.putIfAbsent("conversation-" + c, d.subtask());
                if (previous != null) {
                    assertThat(d.subtask()).as("conversation %d, turn %d", c, turn).isEqualTo(previous);
                    assertThat(d.reason()).isEqualTo(RoutingReason.PREFIX_HIT);
                    assertThat(d.matchedPromptTokens()).isGreaterThan(next.length - 40 - BLOCK - 1);
                }
            }
        }
    }

    @Test
    void independentRoutersPlaceColdPromptsAlike() {
        CacheAwareRouter a = new CacheAwareRouter(CONFIG, 16, 2, 0, BLOCK);
        CacheAwareRouter b = new CacheAwareRouter(CONFIG, 16, 2, 0, BLOCK);
        Set<Integer> spread = new HashSet<>();
        for (int doc = 0; doc < 64; doc++) {
            RoutingDecision da = a.route(behindSystemPrompt(100 + doc, 0, 0), 0);
            RoutingDecision db = b.route(behindSystemPrompt(100 + doc, 1, 0), 0);
            assertThat(da.reason()).isEqualTo(RoutingReason.COLD);
            assertThat(db.subtask()).as("document %d", doc).isEqualTo(da.subtask());
            spread.add(da.subtask());
        }
        assertThat(spread.size()).as("64 cold documents over 16 subtasks").isGreaterThanOrEqualTo(12);
    }

    @Test
    void tenantsShareNoEntries() {
        CacheAwareRouter router = new CacheAwareRouter(CONFIG, 4, 1, 0, BLOCK);
        RouteRequest mine = behindSystemPrompt(3, 0, 8);
        router.route(mine, 0);
        RouteRequest theirs = new RouteRequest(null, mine.promptTokens(), 8, BlockHasher.namespace("model", "b"));
        RoutingDecision d = router.route(theirs, 0);
        assertThat(d.reason()).isEqualTo(RoutingReason.COLD);
        assertThat(d.matchedPromptTokens()).isZero();
    }

    @Test
    void chainsMatchTheEnginesBlockHashes() {
        RouteRequest r = behindSystemPrompt(4, 0, 8);
        RoutingChain chain = RoutingChain.of(r, BLOCK);
        assertThat(chain.hashes()).isEqualTo(BlockHasher.hashFullBlocks(r.promptTokens(), BLOCK, NS));
        assertThat(chain.cachedPromptTokens(18)).as("all 18 blocks held, last token recomputed").isEqualTo(272);
        RoutingChain keyed = RoutingChain.of(new RouteRequest("doc", r.promptTokens(), 8, NS), BLOCK);
        assertThat(keyed.hashes()).hasSize(19);
        assertThat(keyed.hashes().get(0)).isEqualTo(BlockHasher.hashKey("doc", NS));
        assertThat(keyed.cachedPromptTokens(1)).isZero();
        assertThat(List.copyOf(keyed.hashes()).subList(1, 19)).doesNotContainAnyElementsOf(chain.hashes());
    }

    @Test
    void aReportCountsOnlyTheRequestsItAcknowledges() {
        int p = 2;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 4096, 1.25, 10_000, 60_000, 100);
        CacheAwareRouter router = new CacheAwareRouter(config, p, 1, 0, BLOCK);
        for (int s = 0; s < p; s++) {
            router.reportLoad(s, 0, 0, 0);
        }
        RoutingDecision[] sent = new RoutingDecision[3];
        for (int i = 0; i < sent.length; i++) {
            // one prefix: all three stay on its home, within the absolute bound of 4,096 tokens
            sent[i] = router.route(behindSystemPrompt(4, i, 16), 10 + i);
            assertThat(sent[i].routeSeq()).isEqualTo(sent[0].routeSeq() + i).isPositive();
        }
        int home = sent[0].subtask();
        double before = router.load(home);
        // the home took the first request only: the report's 500 tokens plus the work of what it has not taken
        router.reportLoad(home, 500, sent[0].routeSeq(), 20);
        assertThat(sent).extracting(RoutingDecision::subtask).containsOnly(home);
        double notTaken = sent[1].workTokens() + sent[2].workTokens();
        assertThat(router.load(home)).as("was %s", before).isEqualTo(500 + notTaken);
        // the same report again changes nothing; one that took everything leaves the report's figure alone
        router.reportLoad(home, 500, sent[0].routeSeq(), 30);
        assertThat(router.load(home)).isEqualTo(500 + notTaken);
        router.reportLoad(home, 500, sent[2].routeSeq(), 40);
        assertThat(router.load(home)).isEqualTo(500);
    }

    @Test
    void independentRoutersGiveANewDocumentTheSameHomeWhileTheirViewsAreWithinTheBound() {
        int p = 2;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 1024, 1.25, 10_000, 60_000, 0);
        Set<Integer> homes = new HashSet<>();
        for (int doc = 0; doc < 20; doc++) {
            CacheAwareRouter a = new CacheAwareRouter(config, p, 2, 0, BLOCK);
            CacheAwareRouter b = new CacheAwareRouter(config, p, 2, 1, BLOCK);
            // b has already sent a short private prompt somewhere: its view differs from a's, within the bound
            b.route(new RouteRequest(null, new int[] {7, 8, 9}, 16, NS), 0);
            int[] tokens = new int[12 * BLOCK + 32];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = doc * 100_000 + t;
            }
            int home = a.route(new RouteRequest(null, tokens, 32, NS), 1).subtask();
            assertThat(b.route(new RouteRequest(null, tokens, 32, NS), 1).subtask()).as("document %d", doc)
                    .isEqualTo(home);
            homes.add(home);
        }
        assertThat(homes).as("documents hashed over both subtasks").containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void withReportsTheHolderKeepsARequestWhileItsLeadIsBelowThePrefillItSaves() {
        int p = 2;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 256, 1.25, 10_000, 60_000, 100);
        CacheAwareRouter router = new CacheAwareRouter(config, p, 1, 0, BLOCK);
        int home = router.route(behindSystemPrompt(5, 0, 16), 0).subtask();
        int other = 1 - home;
        // the home is 500 tokens ahead: more than the 256-token bound, less than the 256 cached tokens it saves
        // plus the bound, so it is still done with the request first
        router.reportLoad(home, 1_000, 10);
        router.reportLoad(other, 500, 10);
        RoutingDecision kept = router.route(behindSystemPrompt(5, 1, 16), 20);
        assertThat(kept.subtask()).isEqualTo(home);
        assertThat(kept.reason()).isEqualTo(RoutingReason.PREFIX_HIT);
        // 900 ahead: past 256 + 256, the other subtask finishes first even with the prompt to compute
        router.reportLoad(home, 1_400, 30);
        router.reportLoad(other, 500, 30);
        RoutingDecision moved = router.route(behindSystemPrompt(5, 2, 16), 40);
        assertThat(moved.subtask()).isEqualTo(other);
        assertThat(moved.matchedPromptTokens()).isZero();
    }

    @Test
    void withReportsAnOverloadedHolderPassesItsPrefixToOneSubtaskBelowTheMean() {
        int p = 8;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 256, 1.25, 10_000, 60_000, 100);
        CacheAwareRouter router = new CacheAwareRouter(config, p, 1, 0, BLOCK);
        RoutingDecision first = router.route(behindSystemPrompt(3, 0, 16), 0);
        int home = first.subtask();
        // every subtask reports 1,000 tokens, the home 10,000: over 1.25 x mean (2,125) + 256
        for (int s = 0; s < p; s++) {
            router.reportLoad(s, s == home ? 10_000 : 1_000, 10);
        }
        RoutingDecision spilled = router.route(behindSystemPrompt(3, 1, 16), 20);
        assertThat(spilled.subtask()).isNotEqualTo(home);
        assertThat(spilled.reason()).isEqualTo(RoutingReason.OVERLOAD);
        // the same prefix spills to the same place, which from then on holds it
        for (int s = 0; s < p; s++) {
            router.reportLoad(s, s == home ? 10_000 : 1_000, 30);
        }
        RoutingDecision again = router.route(behindSystemPrompt(3, 2, 16), 40);
        assertThat(again.subtask()).isEqualTo(spilled.subtask());
        assertThat(again.reason()).isEqualTo(RoutingReason.PREFIX_HIT);
        // balanced reports: the request stays with a holder
        for (int s = 0; s < p; s++) {
            router.reportLoad(s, 1_000, 50);
        }
        int balanced = router.route(behindSystemPrompt(3, 3, 16), 60).subtask();
        assertThat(balanced).isIn(home, spilled.subtask());
    }

    @Test
    void withReportsIndependentRoutersGiveANewDocumentOneHome() {
        int p = 8;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 256, 1.25, 10_000, 60_000, 100);
        CacheAwareRouter a = new CacheAwareRouter(config, p, 2, 0, BLOCK);
        CacheAwareRouter b = new CacheAwareRouter(config, p, 2, 1, BLOCK);
        for (int i = 0; i < 4; i++) {
            a.route(behindSystemPrompt(7, i, 16), i);
            b.route(behindSystemPrompt(7, 100 + i, 16), i);
        }
        Set<Integer> homes = new HashSet<>();
        for (int doc = 0; doc < 32; doc++) {
            long now = 10 + doc;
            for (int s = 0; s < p; s++) {
                a.reportLoad(s, 1_000, now);
                b.reportLoad(s, 1_000, now);
            }
            // equal loads everywhere: with two choices each router would break the tie its own way
            RoutingDecision da = a.route(document(7, doc, 0), now);
            RoutingDecision db = b.route(document(7, doc, 1), now);
            assertThat(db.subtask()).as("document %d", doc).isEqualTo(da.subtask());
            homes.add(da.subtask());
        }
        assertThat(homes.size()).as("32 new documents over 8 subtasks").isGreaterThanOrEqualTo(6);
    }

    @Test
    void withReportsAForgottenDocumentStaysInItsReplicaSetNotWithTheSystemPromptsHolders() {
        int p = 8;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 256, 1.25, 10_000, 60_000, 100);
        CacheAwareRouter router = new CacheAwareRouter(config, p, 1, 0, BLOCK);
        router.route(document(7, 999, 0), 0);
        // 70 s later the document's holder is forgotten; other documents put the system prompt on many subtasks
        long later = 70_000;
        for (int s = 0; s < p; s++) {
            router.reportLoad(s, 1_000, later);
        }
        Set<Integer> systemPromptHolders = new HashSet<>();
        for (int doc = 0; doc < 16; doc++) {
            systemPromptHolders.add(router.route(document(7, doc, 0), later).subtask());
        }
        assertThat(systemPromptHolders.size()).isGreaterThan(2);
        router.route(document(7, 999, 1), later + 1);
        // the document's own replica set (two choices), not every subtask that holds the system prompt in front
        assertThat(router.lastCandidates()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void withReportsADocumentSpillsToOnePlaceWhetherTheRouterKnowsItOrNot() {
        int p = 8;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 256, 1.25, 10_000, 60_000, 100);
        for (int doc = 0; doc < 8; doc++) {
            CacheAwareRouter knows = new CacheAwareRouter(config, p, 2, 0, BLOCK);
            CacheAwareRouter doesNot = new CacheAwareRouter(config, p, 2, 0, BLOCK);
            for (int i = 0; i < 4; i++) {
                doesNot.route(behindSystemPrompt(7, i, 16), 0);
                knows.route(behindSystemPrompt(7, i, 16), 0);
            }
            int home = knows.route(document(7, doc, 0), 1).subtask();
            for (int s = 0; s < p; s++) {
                knows.reportLoad(s, s == home ? 20_000 : 1_000, 10);
                doesNot.reportLoad(s, s == home ? 20_000 : 1_000, 10);
            }
            RoutingDecision a = knows.route(document(7, doc, 1), 20);
            RoutingDecision b = doesNot.route(document(7, doc, 2), 20);
            assertThat(a.subtask()).as("document %d spilled off its overloaded home", doc).isNotEqualTo(home);
            assertThat(b.subtask()).as("document %d: the same place from a router new to it", doc)
                    .isEqualTo(a.subtask());
        }
    }

    /** The system prompt, a 512-token document, a 32-token question. */
    private static RouteRequest document(int system, int doc, int question) {
        int[] tokens = new int[256 + 512 + 32];
        for (int t = 0; t < 256; t++) {
            tokens[t] = system * 10_000 + t;
        }
        for (int t = 256; t < 768; t++) {
            tokens[t] = 2_000_000 + doc * 1_000 + t;
        }
        for (int t = 768; t < tokens.length; t++) {
            tokens[t] = 3_000_000 + question * 64 + t;
        }
        return new RouteRequest(null, tokens, 16, NS);
    }

    @Test
    void staleReportsAreIgnored() {
        int p = 4;
        CacheAwareConfig config = new CacheAwareConfig(100_000, 256, 1.25, 10_000, 60_000, 100);
        CacheAwareRouter withReports = new CacheAwareRouter(config, p, 1, 0, BLOCK);
        CacheAwareRouter without = new CacheAwareRouter(config, p, 1, 0, BLOCK);
        int home = withReports.route(behindSystemPrompt(5, 0, 16), 0).subtask();
        assertThat(without.route(behindSystemPrompt(5, 0, 16), 0).subtask()).isEqualTo(home);
        for (int s = 0; s < p; s++) {
            withReports.reportLoad(s, s == home ? 50_000 : 0, 1);
        }
        // 20 intervals of 100 ms later the report is stale: both routers decide alike, on their own estimates
        long later = 1 + 20 * 100 + 1;
        assertThat(withReports.route(behindSystemPrompt(5, 1, 16), later).subtask())
                .isEqualTo(without.route(behindSystemPrompt(5, 1, 16), later).subtask());
    }
}
