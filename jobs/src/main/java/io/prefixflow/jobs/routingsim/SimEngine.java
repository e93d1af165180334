package io.prefixflow.jobs.routingsim;

import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.ScheduledSequence;
import io.prefixflow.runtime.engine.Scheduler;
import io.prefixflow.runtime.engine.SchedulerConfig;
import io.prefixflow.runtime.engine.StepPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated inference subtask: the engine's real {@link Scheduler} (waiting queue, running set, token budget,
 * running sequences first then chunked prefill of admitted ones, admission through
 * {@link KvCacheManager#tryAllocate}, commits of computed blocks, slot reservation per decode token, preemption
 * of the latest running sequence when blocks run out) over a real {@link KvCacheManager}, with the forward pass
 * replaced by a {@link CostModel}: a step takes {@code stepMs(prefill tokens, decodes)} of simulated time.
 *
 * <p>Like the engine, after a step every sequence whose chunk reached its last token gets its next output token
 * (here the request's predetermined {@link SimRequest#outputTokens()}) and finishes after exactly
 * {@code max_tokens} of them. A step is planned when it starts and completed when it ends, so several engines
 * may share one KV manager (the ideal) and see each other's blocks in time order.
 *
 * <p>Not thread-safe.
 */
public final class SimEngine {
    /** Model id of the simulated model: binds the cache namespace, as the router's {@code namespace}. */
    public static final String MODEL_ID = "routing-sim";

    private final int subtask;
    private final Scheduler scheduler;
    private final CostModel cost;
    private final Map<String, Live> live = new HashMap<>();
    private StepPlan current;
    private double stepEndMs = Double.NaN;
    private double busyMs;
    private long numSteps;
    private long numPreemptions;

    private static final class Live {
        final SimRequest request;
        int numGenerated;
        boolean admitted;
        int cachedPromptTokens;

        Live(SimRequest request) {
            this.request = request;
        }
    }

    /**
     * @param subtask       this engine's index
     * @param config        step limits
     * @param kv            its KV manager (shared by all engines of the ideal)
     * @param numBlocks     blocks in {@code kv}'s pool
     * @param contextLength the most tokens a sequence may hold
     * @param cost          step times
     */
    public SimEngine(int subtask, SchedulerConfig config, KvCacheManager kv, int numBlocks, int contextLength,
                     CostModel cost) {
        this.subtask = subtask;
        this.scheduler = new Scheduler(config, kv, numBlocks, contextLength, SimWorkload.VOCAB_SIZE, MODEL_ID);
        this.cost = Objects.requireNonNull(cost, "cost");
    }

    /** Queues a request. */
    public void add(SimRequest request) {
        scheduler.add(EngineRequest.greedy(request.id(), request.promptTokens(), request.maxTokens()));
        live.put(request.id(), new Live(request));
    }

    /** Whether a step is in progress. */
    public boolean isStepping() {
        return current != null;
    }

    /** Whether requests are waiting or running. */
    public boolean hasWork() {
        return scheduler.hasWork();
    }

    /**
     * Plans and starts a step at {@code nowMs} if none is in progress and there is something to run.
     *
     * @return when the step ends, or NaN when none started (idle, or every waiting request lacks blocks)
     */
    public double tryStart(double nowMs) {
        if (current != null || !scheduler.hasWork()) {
            return Double.NaN;
        }
        StepPlan plan = scheduler.schedule();
        numPreemptions += plan.preemptedRequestIds().size();
        if (plan.isEmpty()) {
            return Double.NaN;
        }
        int prefillTokens = 0;
        int numDecodes = 0;
        for (ScheduledSequence scheduled : plan.sequences()) {
            Live request = live.get(scheduled.requestId());
            int start = scheduled.chunk().startPosition();
            if (!request.admitted) {
                request.admitted = true;
                request.cachedPromptTokens = Math.min(start, request.request.promptTokens().length);
            }
            if (scheduled.numTokens() == 1 && start >= request.request.promptTokens().length) {
                numDecodes++;
            } else {
                prefillTokens += scheduled.numTokens();
            }
        }
        double stepMs = cost.stepMs(prefillTokens, numDecodes);
        current = plan;
        stepEndMs = nowMs + stepMs;
        busyMs += stepMs;
        numSteps++;
        return stepEndMs;
    }

    /** Completes the step in progress at its end time; returns the requests it finished. */
    public List<RequestOutcome> completeStep() {
        if (current == null) {
            throw new IllegalStateException("subtask " + subtask + " has no step in progress");
        }
        StepPlan plan = current;
        current = null;
        scheduler.completeStep(plan);
        List<RequestOutcome> finished = new ArrayList<>(0);
        for (ScheduledSequence scheduled : plan.sequences()) {
            if (!scheduled.samplesToken()) {
                continue;
            }
            Live request = live.get(scheduled.requestId());
            scheduler.appendToken(request.request.id(), request.request.outputTokens()[request.numGenerated]);
            request.numGenerated++;
            if (request.numGenerated == request.request.maxTokens()) {
                scheduler.finish(request.request.id());
                live.remove(request.request.id());
                finished.add(new RequestOutcome(request.request.id(), request.request.workload(), subtask,
                        request.request.arrivalMs(), stepEndMs, request.request.promptTokens().length,
                        request.cachedPromptTokens));
            }
        }
        return finished;
    }

    /** What the subtask reports as its outstanding work: the scheduler's own count, as the job's engines send. */
    public long outstandingTokens() {
        return scheduler.stats().outstandingTokens();
    }

    /** Sum of the step times so far, simulated ms. */
    public double busyMs() {
        return busyMs;
    }

    public long numSteps() {
        return numSteps;
    }

    public long numPreemptions() {
        return numPreemptions;
    }

    public int subtask() {
        return subtask;
    }
}
