package io.prefixflow.runtime.engine;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Continuous batching with chunked prefill, preemption and prefix reuse, one step at a time.
 *
 * <p>The scheduling model in one sentence: each sequence has tokens and computed tokens, and every step
 * lets computed tokens catch up under a token budget, running sequences first, then newly admitted ones.
 * A step:
 * <ol>
 *   <li>For each running sequence in service order (LATENCY before THROUGHPUT, then arrival): take
 *       {@code min(uncomputed tokens, budget left)} tokens, reserving KV slots for them. When the blocks
 *       run out, preempt the running sequence latest in service order (free its blocks, back to waiting)
 *       and retry; if that is the sequence itself, stop.</li>
 *   <li>If nothing was preempted: admit waiting sequences in service order while budget, the running
 *       cap and blocks allow. Admission reserves blocks for all the sequence's tokens at once (reusing
 *       the longest cached prefix) and schedules a first chunk. The head of the queue is never
 *       overtaken. With prefix caching on, admission also pauses while the head could reuse a prompt
 *       block that a running sequence is still computing ({@link InFlightPrefixes}).</li>
 * </ol>
 * After the runner has computed a plan, {@link #completeStep} records the progress and offers newly full
 * blocks to the prefix cache; the caller then samples a token for every {@code samplesToken} entry and
 * either {@link #appendToken appends} it or {@link #finish finishes} the sequence.
 *
 * <p>A preempted sequence is recomputed from its prompt plus the tokens generated so far, reusing what
 * of them is still cached; the caller keeps sampling at output index {@code numGeneratedTokens}, so the
 * output is the same as without the preemption.
 *
 * <p>Not thread-safe: the engine thread owns it. Tests drive it directly, step by step.
 */
public final class Scheduler {
    private final SchedulerConfig config;
    private final KvCacheManager kv;
    private final ServabilityCheck check;
    private final String modelId;
    private final InFlightPrefixes inFlight;
    private final LivePrefixes livePrefixes = new LivePrefixes();
    private final Map<String, Sequence> sequences = new HashMap<>();
    private final PriorityQueue<Sequence> waiting = new PriorityQueue<>(Sequence.SERVICE_ORDER);
    /** Running sequences in service order. */
    private final List<Sequence> running = new ArrayList<>();
    private long nextArrival;
    private long numPreemptions;
    private int peakUsedBlocks;

    /**
     * @param config        step limits and the prefix-cache switch
     * @param kv            the KV manager; nothing else may allocate from its pool
     * @param numBlocks     blocks in the KV manager's pool
     * @param contextLength the model's context in tokens
     * @param vocabSize     the model's vocabulary size
     * @param modelId       binds cached blocks to the model (with each request's cache salt)
     */
    public Scheduler(SchedulerConfig config, KvCacheManager kv, int numBlocks, int contextLength, int vocabSize,
                     String modelId) {
        this.config = Objects.requireNonNull(config, "config");
        this.kv = Objects.requireNonNull(kv, "kv");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.check = new ServabilityCheck(contextLength, vocabSize, kv.blockSize(), numBlocks);
        this.inFlight = new InFlightPrefixes(kv.blockSize());
    }

    /**
     * Why the request can never be served (too long for the context or the whole cache), or empty.
     * NOTE: unlike the rest of this class it is safe from any thread: it reads only immutable settings.
     */
    public Optional<String> whyUnservable(EngineRequest request) {
        return check.whyUnservable(request);
    }

    /**
     * Queues a request for admission.
     *
     * @throws IllegalArgumentException if it can never be served ({@link #whyUnservable}) or its id is live
     */
    public void add(EngineRequest request) {
        Optional<String> problem = check.whyUnservable(request);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("request " + request.id() + ": " + problem.get());
        }
        if (sequences.containsKey(request.id())) {
            throw new IllegalArgumentException("request id " + request.id() + " is already queued or running");
        }
        Sequence sequence = new Sequence(request, nextArrival++, namespace(request.cacheSalt()), check.contextLength());
        if (config.prefixCaching()) {
            int[] prompt = java.util.Arrays.copyOf(sequence.tokenArray(), request.promptLength());
            List<BlockHash> hashes = inFlight.hashes(prompt, sequence.namespace);
            // a prefix another live request computes first counts as cached too: in a burst of requests on one
            // document all but the first would otherwise count the whole document as work still to do
            sequence.numExpectedCachedTokens = Math.max(livePrefixes.sharedTokens(hashes, prompt.length,
                    kv.blockSize()), kv.numCachedPrefixTokens(hashes, prompt.length));
            livePrefixes.add(request.id(), hashes);
        }
        sequences.put(request.id(), sequence);
        waiting.add(sequence);
    }

    /** Removes a waiting or running request, freeing its blocks; false if the id is not live. */
    public boolean abort(String requestId) {
        Sequence sequence = sequences.get(requestId);
        if (sequence == null) {
            return false;
        }
        remove(sequence);
        return true;
    }

    /** Removes a finished running request and frees its blocks, tail first. */
    public void finish(String requestId) {
        Sequence sequence = live(requestId);
        if (!sequence.running) {
            throw new IllegalStateException("request " + requestId + " is waiting, not running; abort it instead");
        }
        remove(sequence);
    }

    /** Plans the next step; see the class comment. May return an empty plan when nothing can run. */
    public StepPlan schedule() {
        int budget = config.maxBatchedTokens();
        List<ScheduledSequence> planned = new ArrayList<>(Math.min(running.size() + 4, config.maxRunning()));
        List<String> preempted = new ArrayList<>(0);
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence sequence = running.get(i);
            int numNew = Math.min(sequence.numTokens() - sequence.numComputedTokens, budget);
            if (numNew <= 0) {
                throw new IllegalStateException("request " + sequence.id()
                        + " was due a token after the last step, but none was appended and it was not finished");
            }
            boolean selfPreempted = false;
            while (!tryReserveSlots(sequence, numNew)) {
                Sequence victim = running.get(running.size() - 1);
                preempt(victim);
                preempted.add(victim.id());
                if (victim == sequence) {
                    selfPreempted = true;
                    break;
                }
            }
            if (selfPreempted) {
                break;
            }
            planned.add(chunk(sequence, numNew));
            budget -= numNew;
        }
        if (preempted.isEmpty()) {
            budget = admit(budget, planned);
        }
        peakUsedBlocks = Math.max(peakUsedBlocks, check.numBlocks() - kv.numFreeBlocks());
        return new StepPlan(planned, preempted);
    }

    /**
     * Records that the runner computed {@code plan}: each sequence's computed tokens advance, and with
     * prefix caching on its newly full blocks enter the cache.
     */
    public void completeStep(StepPlan plan) {
        for (ScheduledSequence scheduled : plan.sequences()) {
            Sequence sequence = live(scheduled.requestId());
            if (!sequence.running || scheduled.chunk().startPosition() != sequence.numComputedTokens) {
                throw new IllegalStateException("request " + sequence.id() + " changed since its step was planned"
                        + " (aborted, finished or preempted between schedule() and completeStep())");
            }
            sequence.numComputedTokens = scheduled.chunk().endPosition();
            if (config.prefixCaching()) {
                kv.commitComputed(sequence.id(), sequence.numComputedTokens, sequence.tokenArray());
                inFlight.computed(sequence.id(), sequence.numComputedTokens);
            }
        }
    }

    /** Adds the token sampled from a {@code samplesToken} entry's logits. */
    public void appendToken(String requestId, int tokenId) {
        Sequence sequence = live(requestId);
        if (!sequence.awaitsToken()) {
            throw new IllegalStateException("request " + requestId + " is not due a token: its last step did not"
                    + " compute all its tokens, or a token was already appended");
        }
        sequence.append(tokenId);
    }

    public boolean contains(String requestId) {
        return sequences.containsKey(requestId);
    }

    /** Whether anything is waiting or running. */
    public boolean hasWork() {
        return !sequences.isEmpty();
    }

    public SchedulerStats stats() {
        long outstandingTokens = 0;
        for (Sequence sequence : sequences.values()) {
            outstandingTokens += sequence.outstandingTokens();
        }
        return new SchedulerStats(waiting.size(), running.size(), numPreemptions, peakUsedBlocks, outstandingTokens,
                kv.stats());
    }

    public SchedulerConfig config() {
        return config;
    }

    /** Whether some running sequence is registered as computing prompt blocks others could reuse. */
    boolean hasPrefixesInFlight() {
        return !inFlight.isEmpty();
    }

    /** The live sequence with this id; package-private for the engine. */
    Sequence sequence(String requestId) {
        return live(requestId);
    }

    private int admit(int budget, List<ScheduledSequence> planned) {
        while (budget > 0 && running.size() < config.maxRunning() && !waiting.isEmpty()) {
            Sequence sequence = waiting.peek();
            int[] tokens = sequence.tokensCopy();
            List<BlockHash> hashes = config.prefixCaching() ? inFlight.hashes(tokens, sequence.namespace) : null;
            if (hashes != null && inFlight.wouldReuseInFlight(hashes, tokens.length)) {
                break;
            }
            int numCached = kv.tryAllocate(sequence.id(), tokens, sequence.namespace);
            if (numCached < 0) {
                break;
            }
            if (hashes != null) {
                inFlight.add(sequence.id(), hashes, numCached);
            }
            waiting.poll();
            sequence.running = true;
            sequence.numComputedTokens = numCached;
            sequence.blockTable = kv.blockTable(sequence.id());
            if (sequence.numCachedPromptTokens < 0) {
                sequence.numCachedPromptTokens = Math.min(numCached, sequence.numPromptTokens());
            }
            insertRunning(sequence);
            int numNew = Math.min(sequence.numTokens() - numCached, budget);
            planned.add(chunk(sequence, numNew));
            budget -= numNew;
        }
        return budget;
    }

    /** Reserves KV slots through the chunk's last position; false (nothing changed) when blocks run out. */
    private boolean tryReserveSlots(Sequence sequence, int numNew) {
        int numMissing = sequence.numComputedTokens + numNew - kv.numTokenSlots(sequence.id());
        if (numMissing <= 0) {
            return true;
        }
        boolean needsBlocks = kv.numNewBlocksNeeded(sequence.id(), numMissing) > 0;
        if (!kv.tryAppendSlots(sequence.id(), numMissing)) {
            return false;
        }
        if (needsBlocks) {
            sequence.blockTable = kv.blockTable(sequence.id());
        }
        return true;
    }

    private ScheduledSequence chunk(Sequence sequence, int numNew) {
        int start = sequence.numComputedTokens;
        int[] tokenIds = Arrays.copyOfRange(sequence.tokenArray(), start, start + numNew);
        boolean samples = start + numNew == sequence.numTokens();
        return new ScheduledSequence(sequence.id(), new SequenceChunk(tokenIds, start, sequence.blockTable), samples);
    }

    private void preempt(Sequence sequence) {
        running.remove(sequence);
        inFlight.remove(sequence.id());
        kv.free(sequence.id());
        sequence.running = false;
        sequence.numComputedTokens = 0;
        sequence.blockTable = null;
        numPreemptions++;
        waiting.add(sequence);
    }

    private void remove(Sequence sequence) {
        sequences.remove(sequence.id());
        livePrefixes.remove(sequence.id());
        if (sequence.running) {
            running.remove(sequence);
            inFlight.remove(sequence.id());
            kv.free(sequence.id());
            sequence.running = false;
            sequence.blockTable = null;
        } else {
            waiting.remove(sequence);
        }
    }

    private void insertRunning(Sequence sequence) {
        int at = running.size();
        while (at > 0 && Sequence.SERVICE_ORDER.compare(running.get(at - 1), sequence) > 0) {
            at--;
        }
        running.add(at, sequence);
    }

    private BlockHash namespace(String cacheSalt) {
        return BlockHasher.namespace(modelId, cacheSalt);
    }

    private Sequence live(String requestId) {
        Sequence sequence = sequences.get(requestId);
        if (sequence == null) {
            throw new IllegalArgumentException("request " + requestId + " is not queued or running");
        }
        return sequence;
    }
}
