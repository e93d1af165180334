package io.prefixflow.runtime.engine;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.kv.manager.KvCacheStats;
import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.generate.OutputText;
import io.prefixflow.runtime.generate.TokenListener;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.sampling.Sampler;
import io.prefixflow.runtime.structured.ResponseFormat;
import io.prefixflow.runtime.structured.StructuredOutput;
import io.prefixflow.runtime.structured.TokenConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving engine: many requests share one {@link ModelRunner} through continuous batching, chunked
 * prefill, preemption and automatic prefix caching ({@link Scheduler}).
 *
 * <pre>{@code
 * try (Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
 *     RequestHandle h = engine.submit(EngineRequest.greedy("r1", promptIds, 64),
 *             (tokenId, textDelta) -> System.out.print(textDelta));
 *     EngineResult result = h.result().join();
 * }
 * }</pre>
 *
 * <p>One engine thread loops: take submissions and aborts, {@link Scheduler#schedule() schedule},
 * {@code runner.forward}, sample a token for every sequence that reached its end, stream it, finish
 * what is done. Other threads only enqueue commands and read {@link #metrics()}.
 *
 * <p>Failures: a request that can never be served (longer than the context, more blocks than the whole
 * cache, a token outside the vocabulary) completes at once, from {@link #submit}, with finish reason
 * {@code error} and a message; the engine goes on serving the others. If the engine thread itself fails
 * (the runner throws, a listener throws), every pending future completes exceptionally with an
 * {@link IllegalStateException} carrying the cause, and later submissions throw. {@link #close()}
 * completes what is still pending as {@code aborted}. The engine does not close the runner.
 */
public final class Engine implements AutoCloseable {
    private final Model model;
    private final ModelRunner runner;
    private final Scheduler scheduler;
    private final Sampler sampler = new Sampler();
    private final LatencyHistogram timeToFirstToken = new LatencyHistogram();
    private final LatencyHistogram timePerOutputToken = new LatencyHistogram();
    private final BlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    private final Map<String, RequestHandle> liveHandles = new ConcurrentHashMap<>();
    /** Engine-thread only. */
    private final Map<String, ActiveRequest> active = new HashMap<>();
    private final Object lifecycleLock = new Object();
    private final Thread thread;
    private volatile SchedulerStats lastStats;
    /** {@link ActiveRequest#queuedTokens} of the submitted requests {@link #lastStats} does not count yet. */
    private final AtomicLong queuedTokens = new AtomicLong();
    /** Engine-thread only: the queued tokens of the requests taken since {@link #lastStats} was last set. */
    private long takenQueuedTokens;
    /**
     * Prompt blocks of the live requests, from submission to completion; guarded by itself. NOTE: the scheduler
     * keeps its own for the requests it holds: it is engine-thread only and also runs without an engine (in
     * {@code bench-routing}), while this one is read on the submitting thread, before the engine thread takes a
     * request.
     */
    private final LivePrefixes submittedPrefixes = new LivePrefixes();
    private final AtomicLong numFinished = new AtomicLong();
    /** Written under lifecycleLock: set once no command will be taken any more. */
    private volatile boolean stopped;
    private volatile Throwable failure;
    /** Compiled response formats for this model's vocabulary (its trie is built with the first); null without a tokenizer. */
    private final StructuredOutput structured;

    private Engine(Model model, ModelRunner runner, SchedulerConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.runner = Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(config, "config");
        if (!runner.config().equals(model.config())) {
            throw new IllegalArgumentException("the runner was built for " + runner.config()
                    + " but the model is " + model.config());
        }
        BlockPool pool = new BlockPool(runner.numBlocks());
        KvCacheManager kv = new KvCacheManager(pool, runner.blockSize());
        this.scheduler = new Scheduler(config, kv, runner.numBlocks(), runner.config().contextLength(),
                runner.config().vocabSize(), model.name());
        this.lastStats = scheduler.stats();
        this.structured = model.tokenizer() == null ? null
                : new StructuredOutput(model.tokenizer(), model.config().vocabSize(), model.stopTokenIds());
        this.thread = new Thread(this::run, "prefixflow-engine");
        this.thread.setDaemon(true);
    }

    /** Creates an engine over {@code runner}'s KV blocks and starts its thread. */
    public static Engine start(Model model, ModelRunner runner, SchedulerConfig config) {
        Engine engine = new Engine(model, runner, config);
        engine.thread.start();
        return engine;
    }

    /** Submits a request without streaming. */
    public RequestHandle submit(EngineRequest request) {
        return submit(request, TokenListener.NONE);
    }

    /**
     * Submits a request; {@code listener} hears every token on the engine thread (it must be quick and
     * must not throw: a throwing listener fails the engine), and finally {@code (-1, rest)} with text held
     * back until the end, if any.
     *
     * @throws IllegalArgumentException if a live request has the same id
     * @throws IllegalStateException    if the engine is closed or has failed
     */
    public RequestHandle submit(EngineRequest request, TokenListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        long nowNanos = System.nanoTime();
        checkRunning();
        RequestHandle handle = new RequestHandle(request.id(), this);
        Admission admission = admit(request);
        if (admission.problem() != null) {
            handle.future().complete(rejected(request, admission.problem(), nowNanos));
            numFinished.incrementAndGet();
            return handle;
        }
        TokenConstraint constraint = admission.constraint();
        synchronized (lifecycleLock) {
            checkRunning();
            if (liveHandles.putIfAbsent(request.id(), handle) != null) {
                throw new IllegalArgumentException("request id " + request.id() + " is already live in this engine");
            }
            ActiveRequest submitted = new ActiveRequest(request, handle, listener,
                    new OutputText(model.tokenizer(), request.params().stopStrings(),
                            request.promptToken(request.promptLength() - 1)),
                    constraint, nowNanos);
            queue(submitted);
        }
        return handle;
    }

    /**
     * Resubmits a request that had already generated {@code generatedTokenIds} (say, before a failure, from
     * a checkpoint): the engine recomputes prompt plus those tokens, as after a preemption, and continues
     * sampling at output index {@code generatedTokenIds.length}, so with the same {@link
     * io.prefixflow.runtime.sampling.SamplingParams params} the result equals an uninterrupted run's. The
     * result reports the whole completion (the given tokens, then the new ones); {@code listener} hears only
     * the new tokens and text. If the given tokens already end the request (a stop token or stop string,
     * {@code maxTokens}, the context) it completes at once with that finish reason.
     *
     * @throws IllegalArgumentException if a live request has the same id, a token is outside the vocabulary,
     *                                  or a stop token or stop string comes before the last given token
     * @throws IllegalStateException    if the engine is closed or has failed
     */
    public RequestHandle resume(EngineRequest request, int[] generatedTokenIds, TokenListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(generatedTokenIds, "generatedTokenIds");
        Objects.requireNonNull(listener, "listener");
        if (generatedTokenIds.length == 0) {
            return submit(request, listener);
        }
        long nowNanos = System.nanoTime();
        checkRunning();
        RequestHandle handle = new RequestHandle(request.id(), this);
        Admission admission = admit(request);
        if (admission.problem() != null) {
            handle.future().complete(rejected(request, admission.problem(), nowNanos));
            numFinished.incrementAndGet();
            return handle;
        }
        TokenConstraint constraint = admission.constraint();
        Resumption resumption = Resumption.replay(model, runner.config().contextLength(), request,
                generatedTokenIds.clone(), constraint);
        if (resumption.finishReason() != null) {
            handle.future().complete(resumption.finishedResult(nowNanos));
            numFinished.incrementAndGet();
            return handle;
        }
        synchronized (lifecycleLock) {
            checkRunning();
            if (liveHandles.putIfAbsent(request.id(), handle) != null) {
                throw new IllegalArgumentException("request id " + request.id() + " is already live in this engine");
            }
            queue(new ActiveRequest(request, handle, listener, resumption.text(), constraint,
                    resumption.generatedTokenIds(), nowNanos));
        }
        return handle;
    }

    /**
     * Aborts a live request: it finishes with reason {@code aborted} and the tokens so far, and frees
     * every block it held. Returns false if no live request has this id.
     */
    public boolean abort(String requestId) {
        synchronized (lifecycleLock) {
            if (stopped || !liveHandles.containsKey(requestId)) {
                return false;
            }
            inbox.add(new Command.Abort(requestId));
            return true;
        }
    }

    /** Why a request cannot be served, or the constraint of its response format (null for none). */
    private record Admission(TokenConstraint constraint, String problem) {
    }

    /**
     * Checks a request against the engine's limits and compiles its response format on the calling thread (a
     * format's masks are cached, so a repeated format costs nothing here).
     */
    private Admission admit(EngineRequest request) {
        Optional<String> problem = scheduler.whyUnservable(request);
        if (problem.isPresent()) {
            return new Admission(null, problem.get());
        }
        ResponseFormat format = request.responseFormat();
        if (format == null) {
            return new Admission(null, null);
        }
        if (structured == null) {
            return new Admission(null, "response_format: model " + model.name() + " has no tokenizer, which"
                    + " structured output needs");
        }
        try {
            return new Admission(new TokenConstraint(structured.masks(format)), null);
        } catch (IllegalArgumentException e) {
            return new Admission(null, "response_format: " + e.getMessage());
        }
    }

    /**
     * Prompt tokens still to compute plus tokens still to generate, as of the last step, plus the prompt (past what
     * an earlier live request shares with it) and max_tokens of each request submitted since; callable from any
     * thread and cheaper than {@link #metrics()}, which also copies the latency histograms.
     *
     * <p>NOTE: requests submitted since the last step count because a step can take a second or more (a long
     * prefill): a load report that left out what arrived during it would make a busy engine look idle. Every
     * request submitted before the call is counted at least once.
     */
    public long outstandingTokens() {
        // queued first: a request that leaves the queue after this read is in the stats read next
        long queued = queuedTokens.get();
        return lastStats.outstandingTokens() + queued;
    }

    /** The metrics as of the last step; callable from any thread. */
    public EngineMetrics metrics() {
        SchedulerStats stats = lastStats;
        KvCacheStats kv = stats.kv();
        return new EngineMetrics(stats.numWaiting(), stats.numRunning(), kv.numUsedBlocks(), kv.numCachedBlocks(),
                kv.numFreeBlocks(), stats.peakUsedBlocks(), kv.numPrefixQueries(), kv.numPrefixQueryTokens(),
                kv.numPrefixHitTokens(), stats.numPreemptions(), numFinished.get(), stats.outstandingTokens(),
                timeToFirstToken.snapshot(),
                timePerOutputToken.snapshot());
    }

    /** The scheduler settings this engine runs with. */
    public SchedulerConfig config() {
        return scheduler.config();
    }

    /** Stops the engine thread; requests still pending finish as {@code aborted}. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (!stopped) {
                inbox.add(Command.Close.INSTANCE);
            }
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the engine thread to stop", e);
            }
        }
    }

    private void run() {
        try {
            boolean closing = false;
            while (!closing) {
                closing = takeCommands();
                if (!closing) {
                    step();
                }
                lastStats = scheduler.stats();
                queuedTokens.addAndGet(-takenQueuedTokens);
                takenQueuedTokens = 0;
            }
            stopAndAbortAll();
        } catch (Throwable t) {
            failAll(t);
        }
    }

    /** Applies queued commands, waiting for one when there is nothing to do; true when asked to close. */
    private boolean takeCommands() throws InterruptedException {
        Command command = scheduler.hasWork() ? inbox.poll() : inbox.take();
        while (command != null) {
            if (command instanceof Command.Close) {
                return true;
            }
            if (command instanceof Command.Submit submit) {
                accept(submit.request());
            } else if (command instanceof Command.Abort abort) {
                ActiveRequest request = active.get(abort.requestId());
                if (request != null) {
                    scheduler.abort(abort.requestId());
                    complete(request, FinishReason.ABORTED, System.nanoTime());
                }
            }
            command = inbox.poll();
        }
        return false;
    }

    /** Hands a submitted request to the engine thread, counting its work until the stats do. */
    private void queue(ActiveRequest request) {
        EngineRequest r = request.request;
        int promptLength = r.promptLength();
        int sharedTokens = 0;
        if (scheduler.config().prefixCaching()) {
            int blockSize = runner.blockSize();
            List<BlockHash> hashes = BlockHasher.hashFullBlocks(r.promptTokenIds(), blockSize,
                    BlockHasher.namespace(model.name(), r.cacheSalt()));
            synchronized (submittedPrefixes) {
                sharedTokens = submittedPrefixes.sharedTokens(hashes, promptLength, blockSize);
                submittedPrefixes.add(r.id(), hashes);
            }
        }
        request.queuedTokens = promptLength - sharedTokens
                + Math.max(0, (long) r.params().maxTokens() - request.resumedTokenIds.length);
        queuedTokens.addAndGet(request.queuedTokens);
        inbox.add(new Command.Submit(request));
    }

    private void accept(ActiveRequest request) {
        takenQueuedTokens += request.queuedTokens;
        scheduler.add(request.request);
        request.sequence = scheduler.sequence(request.request.id());
        for (int token : request.resumedTokenIds) {
            request.sequence.append(token);
        }
        active.put(request.request.id(), request);
    }

    private void step() {
        StepPlan plan = scheduler.schedule();
        if (plan.isEmpty()) {
            return;
        }
        long scheduledNanos = System.nanoTime();
        for (ScheduledSequence scheduled : plan.sequences()) {
            ActiveRequest request = active.get(scheduled.requestId());
            if (request.firstScheduledNanos == ActiveRequest.UNSET) {
                request.firstScheduledNanos = scheduledNanos;
            }
        }
        float[][] logits = runner.forward(plan.forwardBatch());
        scheduler.completeStep(plan);
        long nowNanos = System.nanoTime();
        List<ScheduledSequence> sequences = plan.sequences();
        for (int i = 0; i < sequences.size(); i++) {
            ScheduledSequence scheduled = sequences.get(i);
            if (scheduled.samplesToken()) {
                onLogits(active.get(scheduled.requestId()), logits[i], nowNanos);
            }
        }
    }

    /** Samples the request's next token, streams it and finishes the request if it is done. */
    private void onLogits(ActiveRequest request, float[] logits, long nowNanos) {
        Sequence sequence = request.sequence;
        int outputIndex = sequence.numGeneratedTokens();
        TokenConstraint constraint = request.constraint;
        long[] allowedTokens = null;
        if (constraint != null) {
            if (constraint.isStuck()) {
                scheduler.finish(sequence.id());
                complete(request, FinishReason.ERROR, "response_format: no token of the vocabulary can continue"
                        + " the output", nowNanos);
                return;
            }
            allowedTokens = constraint.allowedTokens(sequence.tokenArray()[sequence.numTokens() - 1]);
        }
        int token = sampler.sample(logits, request.request.params(), outputIndex, allowedTokens);
        scheduler.appendToken(sequence.id(), token);
        if (request.firstTokenNanos == ActiveRequest.UNSET) {
            request.firstTokenNanos = nowNanos;
            timeToFirstToken.recordNanos(nowNanos - request.submitNanos);
        } else {
            timePerOutputToken.recordNanos(nowNanos - request.lastTokenNanos);
        }
        request.lastTokenNanos = nowNanos;
        FinishReason reason = null;
        if (model.stopTokenIds().contains(token)) {
            request.listener.onToken(token, "");
            reason = FinishReason.STOP;
        } else {
            if (constraint != null) {
                constraint.advance(token);
            }
            request.listener.onToken(token, request.text.append(token));
            if (request.text.stoppedByString()) {
                reason = FinishReason.STOP;
            } else if (constraint != null && constraint.isComplete()) {
                reason = FinishReason.STOP;
            } else if (sequence.numGeneratedTokens() == request.request.params().maxTokens()
                    || sequence.numTokens() > runner.config().contextLength()) {
                reason = FinishReason.LENGTH;
            }
        }
        if (reason != null) {
            scheduler.finish(sequence.id());
            complete(request, reason, nowNanos);
        }
    }

    /** Completes a request that the scheduler no longer holds. */
    private void complete(ActiveRequest request, FinishReason reason, long nowNanos) {
        complete(request, reason, null, nowNanos);
    }

    /** Completes a request that the scheduler no longer holds; {@code errorMessage} goes with ERROR only. */
    private void complete(ActiveRequest request, FinishReason reason, String errorMessage, long nowNanos) {
        String id = request.request.id();
        if (scheduler.contains(id)) {
            throw new IllegalStateException("request " + id + " completed while the scheduler still holds it");
        }
        Sequence sequence = request.sequence;
        String rest = request.text.finish();
        if (!rest.isEmpty() && reason != FinishReason.ABORTED) {
            request.listener.onToken(-1, rest);
        }
        active.remove(id);
        liveHandles.remove(id);
        synchronized (submittedPrefixes) {
            submittedPrefixes.remove(id);
        }
        numFinished.incrementAndGet();
        request.handle.future().complete(new EngineResult(id, request.request.promptTokenIds(),
                sequence.generatedCopy(), request.text.text(), reason,
                errorMessage == null ? null : "request " + id + ": " + errorMessage,
                new Usage(sequence.numPromptTokens(), Math.max(0, sequence.numCachedPromptTokens),
                        sequence.numGeneratedTokens()),
                request.timings(nowNanos)));
    }

    private void stopAndAbortAll() {
        synchronized (lifecycleLock) {
            stopped = true;
        }
        long nowNanos = System.nanoTime();
        for (Command command : drainInbox()) {
            if (command instanceof Command.Submit submit) {
                accept(submit.request());
            }
        }
        for (ActiveRequest request : new ArrayList<>(active.values())) {
            scheduler.abort(request.request.id());
            complete(request, FinishReason.ABORTED, nowNanos);
        }
    }

    private void failAll(Throwable cause) {
        IllegalStateException failed = new IllegalStateException("the engine thread failed: " + cause, cause);
        failure = cause;
        synchronized (lifecycleLock) {
            stopped = true;
        }
        for (Command command : drainInbox()) {
            if (command instanceof Command.Submit submit) {
                submit.request().handle.future().completeExceptionally(failed);
            }
        }
        for (ActiveRequest request : active.values()) {
            request.handle.future().completeExceptionally(failed);
        }
        for (RequestHandle handle : liveHandles.values()) {
            handle.future().completeExceptionally(failed);
        }
        active.clear();
        liveHandles.clear();
    }

    private List<Command> drainInbox() {
        List<Command> commands = new ArrayList<>();
        inbox.drainTo(commands);
        return commands;
    }

    private void checkRunning() {
        if (failure != null) {
            throw new IllegalStateException("the engine thread failed: " + failure, failure);
        }
        if (stopped) {
            throw new IllegalStateException("the engine is closed");
        }
    }

    private static EngineResult rejected(EngineRequest request, String message, long nowNanos) {
        return new EngineResult(request.id(), request.promptTokenIds(), new int[0], "", FinishReason.ERROR,
                "request " + request.id() + ": " + message,
                new Usage(request.promptLength(), 0, 0),
                new Timings(0, 0, Math.max(0, (System.nanoTime() - nowNanos) / 1e6)));
    }
}
