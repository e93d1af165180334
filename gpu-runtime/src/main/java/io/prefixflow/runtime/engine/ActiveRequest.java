package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.generate.OutputText;
import io.prefixflow.runtime.generate.TokenListener;
import io.prefixflow.runtime.structured.TokenConstraint;

/**
 * The engine's side of one live request: where its tokens stream to, its text and its clock. The
 * scheduler's side is its {@link Sequence}. Owned by the engine thread.
 */
final class ActiveRequest {
    final EngineRequest request;
    final RequestHandle handle;
    final TokenListener listener;
    final OutputText text;
    /** Tokens generated before the request was resumed ({@link Engine#resume}); empty for a new request. */
    final int[] resumedTokenIds;
    /** Where the output stands in its response format; null for free text. */
    final TokenConstraint constraint;
    /** A {@code System.nanoTime()} value meaning "not yet". */
    static final long UNSET = Long.MIN_VALUE;

    final long submitNanos;
    /**
     * Its outstanding work until the scheduler's stats count it: its prompt past what an earlier live request
     * shares with it (the cache itself is read only on the engine thread) plus the tokens it may generate. Set
     * once, before it is queued.
     */
    long queuedTokens;
    /** Set when the scheduler takes the request. */
    Sequence sequence;
    long firstScheduledNanos = UNSET;
    long firstTokenNanos = UNSET;
    long lastTokenNanos = UNSET;

    ActiveRequest(EngineRequest request, RequestHandle handle, TokenListener listener, OutputText text,
                  TokenConstraint constraint, long submitNanos) {
        this(request, handle, listener, text, constraint, new int[0], submitNanos);
    }

    ActiveRequest(EngineRequest request, RequestHandle handle, TokenListener listener, OutputText text,
                  TokenConstraint constraint, int[] resumedTokenIds, long submitNanos) {
        this.request = request;
        this.handle = handle;
        this.listener = listener;
        this.text = text;
        this.resumedTokenIds = resumedTokenIds;
        this.constraint = constraint;
        this.submitNanos = submitNanos;
    }

    Timings timings(long nowNanos) {
        return new Timings(
                sinceSubmitMs(firstScheduledNanos),
                sinceSubmitMs(firstTokenNanos),
                Math.max(0, (nowNanos - submitNanos) / 1e6));
    }

    private double sinceSubmitMs(long atNanos) {
        return atNanos == UNSET ? 0 : Math.max(0, (atNanos - submitNanos) / 1e6);
    }
}
