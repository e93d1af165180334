package io.prefixflow.operator.routing;

import io.prefixflow.kv.hash.BlockHash;
import java.util.Objects;

/**
 * {@code CACHE_AWARE}: each prefix has a replica set sized by its share of the traffic, and a request goes to the
 * least loaded replica of its deepest known prefix.
 *
 * <p>Per request, walking its {@link RoutingChain} from the root over the entries this router has seen before
 * ({@link PrefixIndex}), starting with every subtask as a candidate:
 * <pre>
 *   share(h)    = recent work through prefix h / recent work of all requests        (this router's view)
 *   needed(h)   = 1 if share(h) * totalWork * numRouters &lt; absThreshold, else ceil(relThreshold * p * share(h))
 *   candidates  = the first needed(h) of the candidates in rendezvous order of h,  for each known h whose
 *                 needed(h) is below the candidates' number
 *   unknown     = the rest of the chain; when it is a new conversation (a cache_key never seen) the candidates
 *                 narrow to the first in rendezvous order of the key, when it is a new document (at least
 *                 {@value #PIN_BLOCKS} blocks) to the first {@value #PIN_CHOICES} in rendezvous order of its first
 *                 block ({@value #PIN_CHOICES_WITH_REPORTS} with fresh load reports): every router places it on
 *                 the same subtask or two
 *                 (a known prefix keeps at least {@value #MIN_CHOICES} candidates: the power of two choices)
 *   eligible    = candidates whose outstanding work ({@link LoadEstimate}) is within absThreshold / numRouters
 *                 of the least loaded candidate's
 *   choice      = the eligible candidate holding the deepest prefix, then the least loaded, equal ones in turn
 *                 from a position given by the router's index (as round-robin's offsets); for a new document
 *                 the first eligible of its pinned choices in their rendezvous order, load aside (a bounded-load
 *                 consistent hash: routers whose views differ a little still agree)
 * </pre>
 * So a prefix that is a 1/p share of the traffic or less stays on one subtask (rendezvous hashing: all routers agree
 * without talking), a hot one (a system prompt before everything, a popular document) is replicated on as many
 * subtasks as its share needs and spread evenly over them, and a prefix that cools down narrows back to its first
 * two replicas (the others are forgotten after the idle timeout). Replica sets are nested, so a document's replicas
 * hold the system prompt in front of it too.
 *
 * <p>NOTE: why shares, not a load bound. Each prepare subtask routes about a {@code 1/numRouters} share of the
 * traffic, so its per-subtask load estimate rests on few requests once there are many subtasks: with 128, most
 * subtasks' estimates are zero and any threshold against the least loaded one declares every used subtask
 * overloaded (measured with {@code bench-routing}: hit rate and balance collapsed). A prefix's share is an
 * aggregate over all of its requests, so it is accurate exactly for the hot prefixes that need replicas; loads are
 * compared only among a prefix's few replicas, where the estimates are comparable, and equal estimates are broken
 * in a different order by each router, as round-robin's offsets are.
 *
 * <p>Load reports ({@link #reportLoad}, from the inference subtasks every {@code loadReportIntervalMs}): while
 * the latest is younger than {@value #STALE_REPORT_INTERVALS} intervals, a subtask's load is its last report plus
 * the work this router sent it that the report does not include yet ({@link InFlightWork}: each decision has a
 * route sequence number, each report says the last one the subtask had taken; the estimate is not used), the
 * bound above is absThreshold itself and applies to finish times (load plus the prompt tokens of the request the
 * candidate does not hold), the subtasks holding the whole known prefix stay candidates when the rest
 * of the prompt is short (a conversation
 * moved off an overloaded subtask stays where it moved), and a choice whose load is over balanceRel times the mean
 * plus absThreshold is replaced by a subtask at or below the mean (see {@link #spillTarget}). With every router
 * reading the same reports, independent routers see the same loads, which their own estimates could not give
 * them at many subtasks.
 *
 * <p>The chosen subtask is charged the request's work: prompt tokens it is not expected to hold plus max_tokens.
 * Invariant (checked by property tests): the chosen subtask's load is within absThreshold / numRouters of the least
 * loaded candidate's, so among a prefix's replicas the balance bound is exceeded by at most one request's work.
 */
public final class CacheAwareRouter implements Router {
    /** Blocks of unknown prompt from which the unknown part is a document to pin, not a private suffix. */
    static final int PIN_BLOCKS = 8;
    /**
     * Subtasks an unknown document is pinned to on the router's own estimate, the less loaded taking it: two, not
     * one, because every router's first sight of a popular document is unknown to it, and with one choice those
     * first sights all land on the same subtask (measured: max/mean 1.8 at 32 subtasks); a cache_key's
     * conversation keeps one.
     */
    static final int PIN_CHOICES = 2;
    /**
     * Subtasks an unknown document behind a known prefix is pinned to while load reports are fresh (a router that
     * knows nothing of a prompt yet cannot tell a shared system prompt from a document, and keeps two): one,
     * because the reports' spill
     * already moves the work of a home that gets too much, and a second home makes every popular document two
     * copies (measured with {@code bench-routing}, 300 requests per subtask: zipf-documents 0.64 to 0.71 of the
     * ideal at 32 subtasks, mix 0.86 to 0.91 at 128).
     */
    static final int PIN_CHOICES_WITH_REPORTS = 1;
    /** Candidates a known prefix keeps at least: two choices, so that a few prefixes on few subtasks balance. */
    static final int MIN_CHOICES = 2;

    /** Load reports older than this many report intervals are stale: the router falls back to its estimate. */
    static final int STALE_REPORT_INTERVALS = 20;
    private final int blockSize;
    private final int numSubtasks;
    private final int numRouters;
    private final int routerIndex;
    private final double absTokens;
    private final double balanceRel;
    private final double halfLifeMs;
    private final PrefixIndex index;
    private final LoadEstimate loads;
    private final int[] depth;
    private final int[] candidates;
    private final long[] scores;
    private final double[] reportedTokens;
    private final InFlightWork inFlight;
    /** The next decision's route sequence number; set from the clock at the first decision. */
    private long nextRouteSeq;
    private final long staleReportMs;
    private long lastReportMs = Long.MIN_VALUE;
    private boolean reportsFresh;
    private int lastNumCandidates;

    /**
     * @param config      thresholds and bounds
     * @param numSubtasks inference subtasks
     * @param numRouters  prepare subtasks routing in parallel, each with its own instance
     * @param routerIndex this router's index among them
     * @param blockSize   tokens per KV block, as the engine's
     */
    public CacheAwareRouter(CacheAwareConfig config, int numSubtasks, int numRouters, int routerIndex,
                            int blockSize) {
        Objects.requireNonNull(config, "config");
        if (numSubtasks < 1 || numRouters < 1 || blockSize < 1) {
            throw new IllegalArgumentException("numSubtasks, numRouters and blockSize must be >= 1, got "
                    + numSubtasks + ", " + numRouters + ", " + blockSize);
        }
        this.blockSize = blockSize;
        this.numSubtasks = numSubtasks;
        this.numRouters = numRouters;
        this.routerIndex = Math.floorMod(routerIndex, numSubtasks);
        this.absTokens = config.balanceAbsTokens();
        this.balanceRel = config.balanceRel();
        long halfLifeMs = config.loadHalfLifeMs() * numRouters;
        this.halfLifeMs = halfLifeMs;
        this.index = new PrefixIndex(config.indexCapacityEntries(), config.replicaIdleTimeoutMs(), halfLifeMs);
        this.loads = new LoadEstimate(numSubtasks, halfLifeMs);
        this.depth = new int[numSubtasks];
        this.candidates = new int[numSubtasks];
        this.scores = new long[numSubtasks];
        this.reportedTokens = new double[numSubtasks];
        this.inFlight = new InFlightWork(numSubtasks);
        this.staleReportMs = config.loadReportIntervalMs() * STALE_REPORT_INTERVALS;
    }

    @Override
    public void reportLoad(int subtask, double outstandingTokens, long receivedRouteSeq, long nowMs) {
        if (staleReportMs <= 0 || subtask < 0 || subtask >= numSubtasks || !(outstandingTokens >= 0)
                || Double.isInfinite(outstandingTokens)) {
            return;
        }
        reportedTokens[subtask] = outstandingTokens;
        inFlight.received(subtask, receivedRouteSeq);
        lastReportMs = Math.max(lastReportMs, nowMs);
    }

    /** Outstanding work of a subtask: its last report plus what this router sent it beyond it, or the estimate. */
    private double view(int subtask) {
        return reportsFresh ? reportedTokens[subtask] + inFlight.tokens(subtask) : loads.load(subtask);
    }

    @Override
    public RoutingDecision route(RouteRequest request, long nowMs) {
        RoutingChain chain = RoutingChain.of(request, blockSize);
        java.util.List<BlockHash> hashes = chain.hashes();
        loads.decayTo(nowMs);
        reportsFresh = lastReportMs != Long.MIN_VALUE && nowMs - lastReportMs <= staleReportMs;
        // every routed request's work went to one subtask, so the subtasks' loads add up to all recent work
        double total = loads.total();
        java.util.Arrays.fill(depth, 0);
        int numCandidates = numSubtasks;
        for (int s = 0; s < numSubtasks; s++) {
            candidates[s] = s;
        }
        int known = 0;
        // the entry whose rendezvous order placed the request last: its own replica set's, or a new document's
        int narrowedAt = -1;
        for (int i = 0; i < hashes.size(); i++) {
            PrefixIndex.Entry entry = index.get(hashes.get(i), nowMs);
            if (entry == null) {
                break;
            }
            known = i + 1;
            for (int r = 0; r < entry.numReplicas(); r++) {
                int subtask = entry.replica(r);
                if (subtask < numSubtasks && depth[subtask] == i) {
                    depth[subtask] = i + 1;
                }
            }
            // a conversation or document key keeps one home; a known prefix at least two choices
            int atLeast = i < chain.rootEntries() ? 1 : Math.min(MIN_CHOICES, numSubtasks);
            int needed = Math.max(atLeast, needed(entry.work(nowMs, halfLifeMs), total));
            if (needed < numCandidates) {
                numCandidates = narrow(numCandidates, needed, hashes.get(i));
                narrowedAt = i;
            }
        }
        int unknownBlocks = hashes.size() - known;
        boolean pinnedNew = false;
        boolean newKey = known == 0 && chain.rootEntries() == 1;
        if (unknownBlocks > 0 && numCandidates > 1 && (newKey || unknownBlocks >= PIN_BLOCKS)) {
            int pinChoices = reportsFresh && known > 0 ? PIN_CHOICES_WITH_REPORTS : PIN_CHOICES;
            numCandidates = narrow(numCandidates, newKey ? 1 : Math.min(pinChoices, numCandidates),
                    hashes.get(known));
            narrowedAt = known;
            pinnedNew = true;
        }
        if (reportsFresh && unknownBlocks < PIN_BLOCKS) {
            numCandidates = addHoldersOfAll(numCandidates, known);
        }
        lastNumCandidates = numCandidates;
        // with reports, a candidate is judged by when it would be done with the request (its load plus the
        // prompt it lacks), so the holder of a document keeps it until its lead exceeds the document's prefill
        double minFinish = Double.POSITIVE_INFINITY;
        for (int c = 0; c < numCandidates; c++) {
            minFinish = Math.min(minFinish, finish(candidates[c], chain));
        }
        double bound = minFinish + (reportsFresh ? absTokens : absTokens / numRouters);
        int best = -1;
        double bestLoad = 0;
        int bestTurn = 0;
        for (int c = 0; c < numCandidates; c++) {
            int s = candidates[c];
            double load = view(s);
            if (finish(s, chain) > bound) {
                continue;
            }
            // within the bound: the deepest holder; equal ones by load, then in turn from a per-router position;
            // a new document's pinned choices by their rendezvous order instead of load (c is that order): a
            // bounded-load consistent hash, so that routers whose views of the loads differ agree on its home
            int turn = pinnedNew ? c : Math.floorMod(c - routerIndex, numCandidates);
            boolean byLoad = !pinnedNew && load != bestLoad;
            boolean better = best < 0 || depth[s] > depth[best]
                    || (depth[s] == depth[best] && (byLoad ? load < bestLoad : turn < bestTurn));
            if (better) {
                best = s;
                bestLoad = load;
                bestTurn = turn;
            }
        }
        RoutingReason reason = depth[best] > 0 ? RoutingReason.PREFIX_HIT
                : known > 0 ? RoutingReason.OVERLOAD : RoutingReason.COLD;
        if (reportsFresh) {
            int anchorAt = narrowedAt >= 0 ? narrowedAt : Math.max(0, known - 1);
            int spill = spillTarget(best, hashes.isEmpty() ? null : hashes.get(anchorAt));
            if (spill >= 0) {
                best = spill;
                reason = RoutingReason.OVERLOAD;
            }
        }
        int cached = chain.cachedPromptTokens(depth[best]);
        long work = (long) (chain.promptTokens() - cached) + Math.max(0, request.maxTokens());
        loads.add(best, work);
        if (nextRouteSeq == 0) {
            // from the clock, so a restarted router's numbers follow its predecessor's
            nextRouteSeq = Math.max(1, nowMs) << 10;
        }
        long routeSeq = nextRouteSeq++;
        inFlight.sent(best, routeSeq, work);
        index.record(hashes, best, work, nowMs);
        return new RoutingDecision(best, reason, cached, work, routeSeq);
    }

    /** A candidate's load, plus with fresh reports the prompt tokens of the request it does not hold. */
    private double finish(int subtask, RoutingChain chain) {
        double load = view(subtask);
        return reportsFresh ? load + chain.promptTokens() - chain.cachedPromptTokens(depth[subtask]) : load;
    }

    /**
     * With fresh reports: when the chosen subtask's work is over balanceRel times the mean plus absThreshold, the
     * subtask to take the request instead, else -1. Among the subtasks at or below the mean, the one holding the
     * deepest prefix of the request, then the first in rendezvous order of {@code key}, the entry that placed it
     * (where its candidates were last narrowed: a document's first block whether or not this router knows the
     * document, else its deepest known prefix): every router spills one document to the same place (which from
     * then on holds it), different documents to different places. NOTE: anchoring on the deepest known prefix
     * instead sent a document new to a router after the shared system prompt's order, a different place each time
     * the set below the mean changed (bench-routing, zipf-documents at p=128: a document of 1.6 % of the requests
     * on 55 subtasks).
     */
    private int spillTarget(int chosen, BlockHash key) {
        double sum = 0;
        for (int s = 0; s < numSubtasks; s++) {
            sum += view(s);
        }
        double mean = sum / numSubtasks;
        if (view(chosen) <= balanceRel * mean + absTokens) {
            return -1;
        }
        long anchor = key == null ? routerIndex : mix(key.hi(), key.lo());
        int target = -1;
        long targetScore = Long.MIN_VALUE;
        for (int s = 0; s < numSubtasks; s++) {
            if (view(s) <= mean) {
                long score = score(anchor, s);
                if (target < 0 || depth[s] > depth[target] || (depth[s] == depth[target] && score > targetScore)) {
                    target = s;
                    targetScore = score;
                }
            }
        }
        return target;
    }

    /**
     * Adds the subtasks this router sent all {@code known} entries of the chain to the first {@code count}
     * candidates. Holders of a shorter part do not count: when a document's own holders are forgotten, holders of
     * only the system prompt in front of it would make every subtask a candidate, and the least loaded one a new
     * copy of the document (measured with {@code bench-routing}, zipf-documents at p=32 and 300 requests per
     * subtask: a popular document on 21 to 28 of the 32 subtasks, 0.71 of the ideal; 0.93 without them).
     */
    private int addHoldersOfAll(int count, int known) {
        if (known == 0) {
            return count;
        }
        for (int c = count; c < numSubtasks; c++) {
            if (depth[candidates[c]] == known) {
                swap(count, c);
                count++;
            }
        }
        return count;
    }

    /** Replicas a prefix with {@code workTokens} of recent work needs, given {@code totalTokens} of all. */
    private int needed(double workTokens, double totalTokens) {
        if (totalTokens <= 0 || workTokens * numRouters < absTokens) {
            return 1;
        }
        double replicas = Math.ceil(balanceRel * numSubtasks * workTokens / totalTokens - 1e-9);
        return (int) Math.max(1, Math.min(numSubtasks, replicas));
    }

    /** Keeps the first {@code keep} candidates in rendezvous order of {@code key}; returns the new count. */
    private int narrow(int count, int keep, BlockHash key) {
        long anchor = mix(key.hi(), key.lo());
        for (int c = 0; c < count; c++) {
            scores[c] = score(anchor, candidates[c]);
        }
        // partial selection sort of the first keep: O(keep * count), at most p^2 for p subtasks
        for (int i = 0; i < keep; i++) {
            int max = i;
            for (int j = i + 1; j < count; j++) {
                if (scores[j] > scores[max]) {
                    max = j;
                }
            }
            swap(i, max);
        }
        return keep;
    }

    private void swap(int i, int j) {
        int c = candidates[i];
        candidates[i] = candidates[j];
        candidates[j] = c;
        long s = scores[i];
        scores[i] = scores[j];
        scores[j] = s;
    }

    /**
     * A subtask's load in tokens as the last decision saw it: its last report plus what was sent since when
     * reports were fresh, else the estimate (for tests and metrics).
     */
    public double load(int subtask) {
        return view(subtask);
    }

    /** The candidates of the last decision (for tests). */
    int[] lastCandidates() {
        return java.util.Arrays.copyOf(candidates, lastNumCandidates);
    }

    /** Subtasks remembered as holding {@code hash} (for tests). */
    int replicasOf(BlockHash hash) {
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
