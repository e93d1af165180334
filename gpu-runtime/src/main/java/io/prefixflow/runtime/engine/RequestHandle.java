package io.prefixflow.runtime.engine;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted request: its id, and the future of its result.
 *
 * <p>The future completes normally for every request the engine dealt with, rejected ones included
 * (finish reason {@code error}); it completes exceptionally only when the engine itself failed (its
 * thread crashed), never hangs. Tokens stream to the {@code TokenListener} given to
 * {@link Engine#submit(EngineRequest, io.prefixflow.runtime.generate.TokenListener)}, on the engine thread.
 */
public final class RequestHandle {
    private final String requestId;
    private final CompletableFuture<EngineResult> result = new CompletableFuture<>();
    private final Engine engine;

    RequestHandle(String requestId, Engine engine) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.engine = engine;
    }

    public String requestId() {
        return requestId;
    }

    /** Completes with the result; callbacks on it run on the engine thread unless made async. */
    public CompletableFuture<EngineResult> result() {
        return result;
    }

    /** Same as {@link Engine#abort(String)} for this request. */
    public boolean abort() {
        return engine.abort(requestId);
    }

    CompletableFuture<EngineResult> future() {
        return result;
    }
}
