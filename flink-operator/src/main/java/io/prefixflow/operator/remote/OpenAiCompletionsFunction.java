package io.prefixflow.operator.remote;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.Completions;
import io.prefixflow.operator.config.RemoteOptions;
import io.prefixflow.operator.config.RemoteSettings;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * The remote backend's async function: each decoded and validated {@link InferenceRequest} is sent to an
 * OpenAI-compatible {@code /v1/completions} server by an {@link OpenAiCompletionsClient} and answered with
 * exactly one {@link Completion} (served, or finish reason ERROR). Use it with
 * {@code AsyncDataStream.unorderedWait} with timeout {@link RemoteSettings#timeoutMs()} and capacity
 * {@link RemoteSettings#maxInFlight()}; a request past the timeout gets an error completion from
 * {@link #timeout}, never a job failure.
 *
 * <p>{@code served_by_subtask} is this function's subtask index; {@code ttft_ms} is null (the server is
 * called without streaming) and {@code total_ms} is measured from {@link #asyncInvoke}.
 */
public final class OpenAiCompletionsFunction extends RichAsyncFunction<InferenceRequest, Completion> {
    private static final long serialVersionUID = 1L;

    private final RemoteSettings settings;
    private transient OpenAiCompletionsClient client;
    private transient int subtask;

    public OpenAiCompletionsFunction(RemoteSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void open(OpenContext openContext) {
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        client = new OpenAiCompletionsClient(settings);
    }

    @Override
    public void asyncInvoke(InferenceRequest request, ResultFuture<Completion> resultFuture) {
        client.complete(request, subtask).thenAccept(c -> resultFuture.complete(List.of(c)));
    }

    @Override
    public void timeout(InferenceRequest request, ResultFuture<Completion> resultFuture) {
        Completion c = Completions.error(request, 0, "no answer from " + settings.completionsUri() + " within "
                + settings.timeoutMs() + " ms (" + RemoteOptions.TIMEOUT.key() + ")", subtask);
        c.setTotalMs(settings.timeoutMs());
        resultFuture.complete(List.of(c));
    }
}
