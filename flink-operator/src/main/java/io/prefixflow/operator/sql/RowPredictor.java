package io.prefixflow.operator.sql;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.operator.engine.EngineMetricGauges;
import io.prefixflow.operator.engine.GpuAssignment;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.engine.Priority;
import io.prefixflow.runtime.engine.RequestHandle;
import io.prefixflow.runtime.engine.Timings;
import io.prefixflow.runtime.engine.Usage;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;

/**
 * Turns prompt rows into engine requests on the slot's shared engine and results into output rows; the
 * common part of {@link EnginePredictFunction} and {@link SyncEnginePredictFunction}.
 *
 * <p>A bad row (NULL prompt, a prompt the engine cannot serve, such as one longer than the context) becomes an
 * output row with an empty completion, finish reason {@code error} and the reason in {@code error}; only a
 * failed engine fails the returned future (and so the task).
 */
final class RowPredictor implements AutoCloseable {
    private final PredictSettings settings;
    private final SamplingParams params;
    private final Duration timeout;
    private final io.prefixflow.runtime.structured.ResponseFormat responseFormat;
    private final SlotEngines.Lease lease;
    private final SlotEngine slot;
    /** Requests of this function still in the engine; aborted on close. */
    private final Set<RequestHandle> live = ConcurrentHashMap.newKeySet();
    /** Aborts rows past ML_PREDICT's timeout; a row that completes first cancels (and removes) its task. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = timeoutExecutor();

    private RowPredictor(PredictSettings settings, Duration timeout, SlotEngines.Lease lease) {
        this.settings = settings;
        this.params = settings.samplingParams();
        this.responseFormat = settings.parsedResponseFormat();
        this.timeout = timeout;
        this.lease = lease;
        this.slot = lease.engine();
    }

    /**
     * Joins (or starts) the engine of the function's slot.
     *
     * @param timeout ML_PREDICT's {@code timeout}: a request still in the engine after it is aborted, freeing its
     *                KV blocks; null for none
     */
    static RowPredictor open(PredictSettings settings, Duration timeout, FunctionContext context) {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        EngineSpec spec = settings.engine();
        int device = spec.backend() == Backend.CUDA
                ? GpuAssignment.deviceOrdinal(context.getExternalResourceInfos(GpuAssignment.RESOURCE_NAME), subtask)
                : 0;
        SlotEngines.Lease lease = SlotEngines.acquire(spec, subtask, () -> SlotEngine.start(spec, device));
        if (settings.systemPrompt() != null && lease.engine().model().chatTemplate() == null) {
            lease.close();
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.SYSTEM_PROMPT.key() + "' needs a chat"
                    + " template, but model " + spec.model() + " has none; drop the option or serve a GGUF model"
                    + " that carries tokenizer.chat_template");
        }
        RowPredictor predictor = new RowPredictor(settings, timeout, lease);
        // NOTE: the engine is the slot's, so every ML_PREDICT of the slot reports the same engine numbers;
        // inFlightRequests is this function's own.
        EngineMetricGauges.register(context.getMetricGroup(), lease.engine().engine(), predictor.live::size);
        return predictor;
    }

    /** The output row of {@code input} (one STRING column: the prompt). */
    CompletableFuture<RowData> predict(RowData input) {
        String requestId = slot.nextRequestId();
        if (input.isNullAt(0)) {
            return CompletableFuture.completedFuture(errorRow(requestId, "the prompt is NULL"));
        }
        String prompt = input.getString(0).toString();
        EngineRequest request;
        try {
            request = new EngineRequest(requestId, encode(prompt), params, Priority.THROUGHPUT, "", responseFormat);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(errorRow(requestId, "invalid prompt: " + e.getMessage()));
        }
        RequestHandle handle = slot.engine().submit(request);
        live.add(handle);
        ScheduledFuture<?> abort = timeout == null ? null
                : TIMEOUTS.schedule(handle::abort, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return handle.result().whenComplete((result, failure) -> {
            live.remove(handle);
            if (abort != null) {
                abort.cancel(false);
            }
        }).thenApply(this::toRow);
    }

    private static ScheduledThreadPoolExecutor timeoutExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "prefixflow-ml-predict-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private int[] encode(String prompt) {
        if (settings.systemPrompt() == null) {
            return slot.encoder().encodePrompt(prompt);
        }
        return slot.encoder().encodeChat(List.of(new ChatMessage("system", settings.systemPrompt()),
                new ChatMessage("user", prompt)));
    }

    private RowData errorRow(String requestId, String message) {
        return toRow(new EngineResult(requestId, new int[0], new int[0], "", FinishReason.ERROR, message,
                new Usage(0, 0, 0), new Timings(0, 0, 0)));
    }

    private RowData toRow(EngineResult result) {
        List<OutputColumn> outputs = settings.outputs();
        GenericRowData row = new GenericRowData(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            row.setField(i, outputs.get(i).valueOf(result));
        }
        return row;
    }

    /** Aborts this function's requests still in the engine and gives up its hold on the engine. */
    @Override
    public void close() {
        for (RequestHandle handle : live) {
            handle.abort();
        }
        lease.close();
    }
}
