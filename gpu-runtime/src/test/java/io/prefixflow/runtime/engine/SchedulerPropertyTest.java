package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.constraints.IntRange;

/**
 * Random submit / abort / step sequences against the scheduler and a real KV manager, with no model:
 * the test plays the runner (it records which token each step writes into which block slot) and the
 * sampler (random tokens, random early stops).
 *
 * <p>After every operation: each block's reference count equals the number of running sequences whose
 * block table holds it; waiting, finished and aborted requests hold no block; the running cap holds.
 * For every planned chunk: the token budget holds, the block table covers the chunk, every earlier
 * position of the sequence holds exactly the sequence's token in the shadow of the KV (so cache hits and
 * recomputation after preemption read the right KV), and a chunk writes only into private, uncached
 * blocks. When nothing runs and something waits, a step must make progress.
 */
class SchedulerPropertyTest {
    private static final int CONTEXT = 48;
    private static final int VOCAB = 40;
    private static final int[][] PREFIXES = {prefix(1), prefix(2)};
    private static final String[] SALTS = {"", "tenant-b"};

    enum Kind { ADD, ABORT, STEP }

    record Op(Kind kind, int a, int b, int c) {}

    /** What the test knows of a live request: its tokens so far. */
    record Live(List<Integer> tokens, int maxTokens) {}

    @Property(tries = 250)
    @StatisticsReport(onFailureOnly = true)
    void blocksAreNeverLeakedSharedWronglyOrReadStale(
            @ForAll @IntRange(min = 1, max = 4) int blockSize,
            @ForAll @IntRange(min = CONTEXT, max = 3 * CONTEXT) int capacityTokens,
            @ForAll @IntRange(min = 1, max = 40) int maxBatchedTokens,
            @ForAll @IntRange(min = 1, max = 8) int maxRunning,
            @ForAll boolean prefixCaching,
            @ForAll("ops") List<Op> ops) {
        // NOTE: at least one context's worth of blocks, so most requests are servable and several contend.
        int numBlocks = (capacityTokens + blockSize - 1) / blockSize;
        BlockPool pool = new BlockPool(numBlocks);
        KvCacheManager kv = new KvCacheManager(pool, blockSize);
        SchedulerConfig config = new SchedulerConfig(maxBatchedTokens, maxRunning, prefixCaching);
        Scheduler scheduler = new Scheduler(config, kv, numBlocks, CONTEXT, VOCAB, "model");
        Map<String, Live> live = new LinkedHashMap<>();
        Set<String> gone = new HashSet<>();
        Map<Integer, int[]> shadow = new HashMap<>();
        int nextId = 0;
        for (Op op : ops) {
            List<String> ids = new ArrayList<>(live.keySet());
            switch (op.kind()) {
                case ADD -> {
                    int[] prompt = prompt(op, blockSize);
                    int maxTokens = 1 + op.c() % 20;
                    EngineRequest request = new EngineRequest("r" + nextId++, prompt,
                            SamplingParams.greedy(maxTokens),
                            op.b() % 3 == 0 ? Priority.LATENCY : Priority.THROUGHPUT, SALTS[op.b() % 2]);
                    if (scheduler.whyUnservable(request).isPresent()) {
                        continue;
                    }
                    scheduler.add(request);
                    List<Integer> tokens = new ArrayList<>();
                    for (int t : prompt) {
                        tokens.add(t);
                    }
                    live.put(request.id(), new Live(tokens, maxTokens));
                }
                case ABORT -> {
                    if (!ids.isEmpty()) {
                        String id = ids.get(op.a() % ids.size());
                        assertTrue(scheduler.abort(id));
                        live.remove(id);
                        gone.add(id);
                    }
                    assertFalse(scheduler.abort("no-such-request"));
                }
                case STEP -> step(scheduler, kv, pool, config, live, gone, shadow, blockSize, op);
            }
            checkHolders(scheduler, kv, pool, live, gone, maxRunning);
        }
        SchedulerStats end = scheduler.stats();
        Statistics.label("preempted").collect(end.numPreemptions() > 0);
        Statistics.label("prefix hits").collect(end.kv().numPrefixHitTokens() > 0);
        for (String id : new ArrayList<>(live.keySet())) {
            scheduler.abort(id);
        }
        // NOTE: the property is only worth something if it reaches preemption and cache hits often.
        Statistics.label("preempted").coverage(c -> c.check(true).percentage(p -> p > 8));
        Statistics.label("prefix hits").coverage(c -> c.check(true).percentage(p -> p > 15));
        assertEquals(0, pool.numUsedBlocks(), "every block is free once every request is gone");
        assertFalse(scheduler.hasWork());
    }

    private static void step(Scheduler scheduler, KvCacheManager kv, BlockPool pool, SchedulerConfig config,
                             Map<String, Live> live, Set<String> gone, Map<Integer, int[]> shadow,
                             int blockSize, Op op) {
        SchedulerStats before = scheduler.stats();
        StepPlan plan = scheduler.schedule();
        if (before.numRunning() == 0 && before.numWaiting() > 0) {
            assertFalse(plan.isEmpty(), "with nothing running, the head of the queue must be admitted");
        }
        assertTrue(plan.numScheduledTokens() <= config.maxBatchedTokens(), "token budget");
        Set<String> seen = new HashSet<>();
        for (ScheduledSequence scheduled : plan.sequences()) {
            assertTrue(seen.add(scheduled.requestId()), "one entry per sequence");
            Live request = live.get(scheduled.requestId());
            SequenceChunk chunk = scheduled.chunk();
            assertEquals(scheduled.samplesToken(), chunk.endPosition() == request.tokens().size(),
                    "samplesToken iff the chunk reaches the sequence's last token");
            assertTrue(chunk.endPosition() <= request.tokens().size());
            assertTrue(chunk.blockTable().length * blockSize >= chunk.endPosition(), "block table covers the chunk");
            for (int p = 0; p < chunk.startPosition(); p++) {
                int[] slots = shadow.get(chunk.blockTable()[p / blockSize]);
                assertTrue(slots != null && slots[p % blockSize] == request.tokens().get(p),
                        scheduled.requestId() + " reads stale KV at position " + p);
            }
            for (int i = 0; i < chunk.tokenIds().length; i++) {
                int p = chunk.startPosition() + i;
                assertEquals((int) request.tokens().get(p), chunk.tokenIds()[i], "chunk tokens");
                int block = chunk.blockTable()[p / blockSize];
                assertEquals(1, pool.refCount(block), "writes go only to private blocks");
                assertFalse(pool.isCached(block), "writes never touch a cached block");
                shadow.computeIfAbsent(block, b -> new int[blockSize])[p % blockSize] = chunk.tokenIds()[i];
            }
        }
        scheduler.completeStep(plan);
        for (ScheduledSequence scheduled : plan.sequences()) {
            if (!scheduled.samplesToken()) {
                continue;
            }
            String id = scheduled.requestId();
            Live request = live.get(id);
            int token = Math.floorMod(op.b() * 31 + request.tokens().size() * 7 + id.hashCode(), VOCAB);
            scheduler.appendToken(id, token);
            request.tokens().add(token);
            int numGenerated = request.tokens().size() - scheduler.sequence(id).numPromptTokens();
            // As the engine: finish at max_tokens, when the context is full, or (here at random) on a stop.
            if ((op.a() + id.hashCode()) % 13 == 0 || numGenerated == request.maxTokens()
                    || request.tokens().size() > CONTEXT) {
                scheduler.finish(id);
                live.remove(id);
                gone.add(id);
            }
        }
    }

    private static void checkHolders(Scheduler scheduler, KvCacheManager kv, BlockPool pool,
                                     Map<String, Live> live, Set<String> gone, int maxRunning) {
        int[] holders = new int[pool.numBlocks()];
        int numRunning = 0;
        for (String id : live.keySet()) {
            Sequence sequence = scheduler.sequence(id);
            assertEquals(sequence.running, kv.contains(id), id + " holds blocks iff running");
            if (sequence.running) {
                numRunning++;
                for (int block : kv.blockTable(id)) {
                    holders[block]++;
                }
            }
        }
        for (int block = 0; block < holders.length; block++) {
            assertEquals(holders[block], pool.refCount(block), "reference count of block " + block);
        }
        for (String id : gone) {
            assertFalse(kv.contains(id), id + " finished or was aborted but holds blocks");
            assertFalse(scheduler.contains(id));
        }
        SchedulerStats stats = scheduler.stats();
        assertEquals(numRunning, stats.numRunning());
        assertEquals(live.size() - numRunning, stats.numWaiting());
        assertTrue(numRunning <= maxRunning, "running cap");
        if (numRunning == 0) {
            assertFalse(scheduler.hasPrefixesInFlight(), "no running sequence, so no block in flight");
        }
    }

    private static int[] prompt(Op op, int blockSize) {
        int[] base = PREFIXES[op.a() % PREFIXES.length];
        int shared = op.a() % 3 == 0 ? op.a() % (base.length + 1) : base.length;
        int own = 1 + op.c() % 9;
        int[] prompt = new int[shared + own];
        System.arraycopy(base, 0, prompt, 0, shared);
        for (int i = 0; i < own; i++) {
            prompt[shared + i] = Math.floorMod(op.b() * 13 + i * 5 + op.c(), VOCAB);
        }
        return prompt;
    }

    private static int[] prefix(int seed) {
        int[] tokens = new int[20];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (seed * 17 + i * 11) % VOCAB;
        }
        return tokens;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(2, Kind.ADD), net.jqwik.api.Tuple.of(1, Kind.ABORT),
                net.jqwik.api.Tuple.of(8, Kind.STEP));
        Arbitrary<Integer> ints = Arbitraries.integers().between(0, 1000).withoutEdgeCases();
        return Combinators.combine(kinds, ints, ints, ints).as(Op::new).list().ofMinSize(1).ofMaxSize(150).withSizeDistribution(net.jqwik.api.RandomDistribution.uniform());
    }
}
