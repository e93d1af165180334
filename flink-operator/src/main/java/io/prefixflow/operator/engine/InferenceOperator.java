package io.prefixflow.operator.engine;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.Completions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.operator.state.InFlightRequest;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.tensor.ActivationRounding;
import io.prefixflow.operator.feedback.KafkaLoadChannel;
import io.prefixflow.operator.feedback.LoadPublisher;
import io.prefixflow.runtime.engine.Engine;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.model.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * Serves prepared requests on one inference engine per subtask. The prepare stage's router chose this subtask
 * for each request (keyed by that subtask's key), mostly because its prefix cache holds the prompt's prefix.
 * Besides the engine's metrics it counts what it was routed ({@code prefixflow.routedRequests},
 * {@code prefixflow.routedPromptTokens}).
 *
 * <pre>
 *   mailbox thread                                   engine thread
 *   processElement ── wait while maxInFlight full ─┐
 *      └─ engine.submit ───────────────────────────┼──► schedule → forward → sample
 *   onToken   ◄── mailboxExecutor.execute ─────────┼─── TokenListener.onToken
 *   onResult  ◄── mailboxExecutor.execute ─────────┴─── result future completes
 *      └─ emit Completion (+ CompletionChunks on {@link #CHUNKS})
 *   snapshotState: every live request + the tokens handed back so far → list state
 * </pre>
 *
 * <p>NOTE: the engine thread never touches Flink state or output; it only enqueues mails. Tokens the engine
 * generated but whose mails had not run at a checkpoint are not in it: after a restore they are generated
 * again, identically, because sampling depends only on (seed, output index).
 *
 * <p>Backpressure: at most {@link InferenceSettings#maxInFlight()} live requests; when full,
 * {@code processElement} yields to the mailbox (handing back results) until one finishes, so the operator
 * stops taking input and Flink's backpressure reaches the Kafka source.
 *
 * <p>Restore: live requests are in operator list state; {@link #open()} resumes each with the tokens it had
 * ({@code Engine.resume}), so it continues where it was and, with the same seed, completes exactly as
 * without the failure. A subtask may receive requests of keys it does not own after a rescale; they are
 * served all the same (only their cache locality is lost).
 *
 * <p>Failures: a request the engine cannot serve becomes a completion with finish reason {@code ERROR};
 * an engine that fails fails the task, so Flink restarts it from the last checkpoint.
 */
public final class InferenceOperator extends AbstractStreamOperator<Completion>
        implements OneInputStreamOperator<PreparedRequest, Completion> {
    private static final long serialVersionUID = 1L;

    /** Streamed pieces of completions, for requests with {@code stream = true}. */
    public static final OutputTag<CompletionChunk> CHUNKS =
            new OutputTag<>("completion-chunks", new AvroTypeInfo<>(CompletionChunk.class));

    private final InferenceSettings settings;
    private final KafkaLoadChannel loadChannel;
    private final transient MailboxExecutor mailbox;
    private transient LoadPublisher loadPublisher;
    private transient Model model;
    private transient ModelRunner runner;
    private transient Engine engine;
    private transient ListState<InFlightRequest> inFlightState;
    private transient List<InFlightRequest> restored;
    /** Live requests by engine id, in arrival order. Mailbox thread only. */
    private transient Map<String, LiveRequest> live;
    private transient volatile int numLive;
    private transient long nextSequence;
    private transient int subtask;
    private transient Counter routedRequests;
    private transient Counter routedPromptTokens;
    /** Per prepare subtask, the route sequence number of the last request taken from it (for load reports). */
    private transient AtomicLongArray receivedRouteSeqs;
    private transient volatile boolean closing;

    InferenceOperator(StreamOperatorParameters<Completion> parameters, InferenceSettings settings,
                      KafkaLoadChannel loadChannel, MailboxExecutor mailbox) {
        super(parameters);
        this.settings = settings;
        this.loadChannel = loadChannel;
        this.mailbox = mailbox;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        inFlightState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("prefixflow-in-flight", TypeInformation.of(InFlightRequest.class)));
        restored = new ArrayList<>();
        if (context.isRestored()) {
            for (InFlightRequest request : inFlightState.get()) {
                restored.add(request);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        model = ModelSpecs.load(settings);
        int numBlocks = settings.backend().blocksForBudget(model.config(), settings.blockSize(), settings.kvCacheBytes(),
                settings.kvDtype());
        runner = settings.backend().open(model.config(), model.weights(), settings.blockSize(), numBlocks,
                settings.threads(), GpuAssignment.deviceOrdinal(getRuntimeContext().getExternalResourceInfos(
                        GpuAssignment.RESOURCE_NAME), subtask), ActivationRounding.NONE, settings.kvDtype());
        engine = Engine.start(model, runner, settings.schedulerConfig());
        live = new LinkedHashMap<>();
        EngineMetricGauges.register(getMetricGroup(), engine, () -> numLive);
        routedRequests = getMetricGroup().addGroup("prefixflow").counter("routedRequests");
        routedPromptTokens = getMetricGroup().addGroup("prefixflow").counter("routedPromptTokens");
        // the prepare stage runs at this operator's parallelism (the job builds them so)
        receivedRouteSeqs = new AtomicLongArray(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        if (loadChannel != null) {
            loadPublisher = loadChannel.startPublisher(getRuntimeContext().getJobInfo().getJobId().toString(),
                    subtask, engine::outstandingTokens, this::receivedRouteSeqs);
        }
        for (InFlightRequest request : restored) {
            start(new LiveRequest(request, nextEngineId(request.getPrepared())));
        }
        restored = null;
    }

    @Override
    public void processElement(StreamRecord<PreparedRequest> element) throws Exception {
        while (live.size() >= settings.maxInFlight()) {
            mailbox.yield();
        }
        PreparedRequest prepared = element.getValue();
        routedRequests.inc();
        routedPromptTokens.inc(prepared.getPromptTokenIds().length);
        start(new LiveRequest(prepared, nextEngineId(prepared)));
        // after start: a report that acknowledges the request counts its work
        int router = prepared.getRouterIndex();
        if (prepared.getRouteSeq() > 0 && router >= 0 && router < receivedRouteSeqs.length()) {
            receivedRouteSeqs.accumulateAndGet(router, prepared.getRouteSeq(), Math::max);
        }
        if (loadPublisher != null) {
            loadPublisher.nudge();
        }
    }

    private long[] receivedRouteSeqs() {
        long[] seqs = new long[receivedRouteSeqs.length()];
        for (int r = 0; r < seqs.length; r++) {
            seqs[r] = receivedRouteSeqs.get(r);
        }
        return seqs;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<InFlightRequest> snapshot = new ArrayList<>(live.size());
        for (LiveRequest request : live.values()) {
            snapshot.add(request.snapshot());
        }
        inFlightState.update(snapshot);
    }

    /** Waits, handing back results, until every live request has completed (end of a bounded input). */
    @Override
    public void finish() throws Exception {
        while (!live.isEmpty()) {
            mailbox.yield();
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        closing = true;
        try {
            if (loadPublisher != null) {
                loadPublisher.close();
            }
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (runner != null) {
                runner.close();
            }
            super.close();
        }
    }

    /** Number of requests this subtask holds (for tests). */
    int numLiveRequests() {
        return live.size();
    }

    private void start(LiveRequest request) {
        live.put(request.engineId, request);
        numLive = live.size();
        InferenceRequest r = request.prepared.getRequest();
        if (r.getDeadline() != null && r.getDeadline().toEpochMilli() <= System.currentTimeMillis()) {
            finish(request, abortedPastDeadline(request));
            return;
        }
        EngineRequest engineRequest;
        try {
            engineRequest = EngineRequests.toEngineRequest(request.prepared, request.engineId);
        } catch (IllegalArgumentException e) {
            finish(request, Completions.error(r, request.prepared.getPromptTokenIds().length,
                    "invalid request: " + e.getMessage(), subtask));
            return;
        }
        request.handle = engine.resume(engineRequest, request.generatedTokenIds(),
                (token, delta) -> handOver(() -> onToken(request, token, delta)));
        request.handle.result().whenComplete((result, failure) -> handOver(() -> onResult(request, result, failure)));
        if (r.getDeadline() != null) {
            getProcessingTimeService().registerTimer(r.getDeadline().toEpochMilli(), time -> {
                if (live.get(request.engineId) == request) {
                    request.handle.abort();
                }
            });
        }
    }

    /** Runs {@code action} on the mailbox thread; called from the engine thread. */
    private void handOver(ThrowingRunnable<? extends Exception> action) {
        if (closing) {
            return;
        }
        try {
            mailbox.execute(action, "prefixflow engine callback");
        } catch (RejectedExecutionException e) {
            // NOTE: the task is shutting down; its live requests are in the last checkpoint.
        }
    }

    private void onToken(LiveRequest request, int token, String delta) {
        if (live.get(request.engineId) != request) {
            return;
        }
        if (token < 0) {
            request.heldBackText += delta;
            return;
        }
        request.addToken(token, System.currentTimeMillis());
        if (request.streams()) {
            emitChunk(request, delta, List.of(token), false);
        }
    }

    private void onResult(LiveRequest request, EngineResult result, Throwable failure) {
        if (live.get(request.engineId) != request) {
            return;
        }
        if (failure != null) {
            throw new IllegalStateException("the inference engine of subtask " + subtask + " failed while serving"
                    + " request " + request.requestId(), failure);
        }
        finish(request, toCompletion(request, result));
    }

    private void finish(LiveRequest request, Completion completion) {
        live.remove(request.engineId);
        numLive = live.size();
        if (request.streams()) {
            emitChunk(request, request.heldBackText, List.of(), true);
        }
        output.collect(new StreamRecord<>(completion));
    }

    private void emitChunk(LiveRequest request, String text, List<Integer> tokenIds, boolean isFinal) {
        output.collect(CHUNKS, new StreamRecord<>(CompletionChunk.newBuilder()
                .setRequestId(request.requestId())
                .setIndex(request.numChunks++)
                .setText(text)
                .setTokenIds(tokenIds)
                .setIsFinal(isFinal)
                .build()));
    }

    private Completion toCompletion(LiveRequest request, EngineResult result) {
        InferenceRequest r = request.prepared.getRequest();
        long nowMs = System.currentTimeMillis();
        long receivedAtMs = request.prepared.getReceivedAtMs();
        return Completion.newBuilder()
                .setRequestId(r.getId())
                .setTenant(r.getTenant())
                .setText(result.text())
                .setPromptTokens(result.usage().promptTokens())
                .setCachedPromptTokens(result.usage().cachedPromptTokens())
                .setCompletionTokens(result.usage().completionTokens())
                .setFinishReason(FinishReason.valueOf(result.finishReason().name()))
                .setError(result.errorMessage())
                .setQueueMs(Math.max(0, request.submittedAtMs - receivedAtMs) + Math.round(result.timings().queuedMs()))
                .setTtftMs(request.firstTokenAtMs < 0 ? null : Math.max(0, request.firstTokenAtMs - receivedAtMs))
                .setTotalMs(Math.max(0, nowMs - receivedAtMs))
                .setServedBySubtask(subtask)
                .build();
    }

    private Completion abortedPastDeadline(LiveRequest request) {
        InferenceRequest r = request.prepared.getRequest();
        return Completions.unserved(r, request.prepared.getPromptTokenIds().length, FinishReason.ABORTED,
                "the request's deadline " + r.getDeadline() + " had passed when it reached the engine", subtask);
    }

    private String nextEngineId(PreparedRequest prepared) {
        return prepared.getRequest().getId() + "#" + nextSequence++;
    }
}
