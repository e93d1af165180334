package io.prefixflow.operator.routing;

import java.util.Objects;

/**
 * {@code CACHE_AWARE}: to the subtask that holds the longest prefix of the prompt, within a balance bound.
 *
 * <p>Per request, with {@code load} the outstanding-work estimate ({@link LoadEstimate}) and {@code min} its
 * smallest value over the subtasks:
 * <pre>
 *   bound      = max(min + absThreshold / numRouters, relThreshold * min)       (SGLang's two thresholds)
 *   eligible   = subtasks with load &lt;= bound                                  (never empty: min is eligible)
 *   depth(s)   = leading entries of the request's {@link RoutingChain} that s holds ({@link PrefixIndex})
 *   d          = the largest depth(s) of an eligible s
 *   anchor     = the deepest matched chain entry, or the chain's anchor when nothing matched
 *   d &gt; 0:    among eligible s with depth(s) = d, the least max(load(s), absThreshold / numRouters);
 *              ties by the highest rendezvous score score(anchor, s)
 *   d = 0:     among all eligible s, the highest score(anchor, s)     (bounded-load consistent hashing)
 * </pre>
 * NOTE: among the replicas of a prefix a load under the absolute threshold counts as idle. So a prefix whose
 * traffic stays under it is sent to its best-scoring replica only (the others go idle and are forgotten), and
 * a hot one is spread evenly over its replicas instead of filling the best-scoring one up to the bound.
 * A chosen subtask with depth 0 means every holder was past the bound ({@link RoutingReason#OVERLOAD}) or
 * there was none ({@link RoutingReason#COLD}); it then holds the prefix too. So a hot prefix gains replicas
 * exactly while its holders are past the bound; one that cools is sent to its best-scoring replica only, and the
 * others are forgotten after the idle timeout. Rendezvous (highest-random-weight) hashing is the consistent
 * hash: independent routers with equal loads pick the same subtask for a cold prefix, and the order in which a
 * prefix spills over is fixed by the prefix, not by who happens to be least loaded this instant, so its
 * replicas stay few and stable. The chosen subtask is charged the request's work: prompt tokens it is not
 * expected to hold plus max_tokens.
 *
 * <p>Invariant (checked by property tests): no subtask's load exceeds the bound by more than one request's work.
 * NOTE: each prepare subtask sees about a {@code 1/numRouters} share of the traffic and balances only that share,
 * so it applies {@code 1/numRouters} of the absolute threshold, and it remembers work {@code numRouters} times
 * longer (the half-life is per router), so that its estimate rests on as many requests as one router's would.
 */
public final class CacheAwareRouter implements Router {
    private final int blockSize;
    private final double absPerRouterTokens;
    private final double balanceRel;
    private final PrefixIndex index;
    private final LoadEstimate loads;
    private final int[] depth;

    /**
     * @param config      thresholds and bounds
     * @param numSubtasks inference subtasks
     * @param numRouters  prepare subtasks routing in parallel, each with its own instance
     * @param blockSize   tokens per KV block, as the engine's
     */
    public CacheAwareRouter(CacheAwareConfig config, int numSubtasks, int numRouters, int blockSize) {
        Objects.requireNonNull(config, "config");
        if (numSubtasks < 1 || numRouters < 1 || blockSize < 1) {
            throw new IllegalArgumentException("numSubtasks, numRouters and blockSize must be >= 1, got "
                    + numSubtasks + ", " + numRouters + ", " + blockSize);
        }
        this.blockSize = blockSize;
        this.absPerRouterTokens = (double) config.balanceAbsTokens() / numRouters;
        this.balanceRel = config.balanceRel();
        this.index = new PrefixIndex(config.indexCapacityEntries(), config.replicaIdleTimeoutMs());
        this.loads = new LoadEstimate(numSubtasks, config.loadHalfLifeMs() * numRouters);
        this.depth = new int[numSubtasks];
    }

    @Override
    public RoutingDecision route(RouteRequest request, long nowMs) {
        RoutingChain chain = RoutingChain.of(request, blockSize);
        loads.decayTo(nowMs);
        int deepest = index.match(chain.hashes(), nowMs, depth);
        double bound = bound();
        long anchor = deepest > 0 ? mix(chain.hashes().get(deepest - 1).hi(), chain.hashes().get(deepest - 1).lo())
                : mix(chain.anchor().hi(), chain.anchor().lo());
        int bestDepth = 0;
        for (int s = 0; s < depth.length; s++) {
            if (loads.load(s) <= bound) {
                bestDepth = Math.max(bestDepth, depth[s]);
            }
        }
        int best = -1;
        double bestLoad = 0;
        long bestScore = 0;
        for (int s = 0; s < depth.length; s++) {
            if (loads.load(s) > bound || depth[s] != bestDepth) {
                continue;
            }
            // among holders: the least loaded, counting loads under the absolute threshold as idle
            double load = bestDepth > 0 ? Math.max(loads.load(s), absPerRouterTokens) : 0;
            long score = score(anchor, s);
            if (best < 0 || load < bestLoad || (load == bestLoad && score > bestScore)) {
                best = s;
                bestLoad = load;
                bestScore = score;
            }
        }
        RoutingReason reason = bestDepth > 0 ? RoutingReason.PREFIX_HIT
                : deepest > 0 ? RoutingReason.OVERLOAD : RoutingReason.COLD;
        int cached = chain.cachedPromptTokens(bestDepth);
        long work = (long) (chain.promptTokens() - cached) + Math.max(0, request.maxTokens());
        loads.add(best, work);
        index.record(chain.hashes(), best, nowMs);
        return new RoutingDecision(best, reason, cached, work);
    }

    /** The current balance bound in tokens (for tests and metrics). */
    public double bound() {
        double min = loads.min();
        return Math.max(min + absPerRouterTokens, balanceRel * min);
    }

    /** The current load estimate of a subtask in tokens (for tests and metrics). */
    public double load(int subtask) {
        return loads.load(subtask);
    }

    /** Subtasks remembered as holding {@code hash} (for tests). */
    int replicasOf(io.prefixflow.kv.hash.BlockHash hash) {
        return index.replicasOf(hash);
    }

    /** Block hashes in the index. */
    public int indexSize() {
        return index.size();
    }

    private static long score(long anchor, int subtask) {
        return mix(anchor, 0x9e3779b97f4a7c15L * (subtask + 1));
    }

    /** SplitMix64's finalizer over two words. */
    private static long mix(long a, long b) {
        long z = a ^ Long.rotateLeft(b, 29) ^ (b * 0xbf58476d1ce4e5b9L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
