package io.prefixflow.operator.engine;

import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.operator.state.InFlightRequest;
import io.prefixflow.runtime.engine.RequestHandle;
import java.util.Arrays;

/**
 * A request an {@code InferenceOperator} subtask holds, as the mailbox thread sees it: the tokens the engine
 * has handed back so far, the chunks emitted, the text the engine held back until the end. Mailbox thread
 * only.
 */
final class LiveRequest {
    final PreparedRequest prepared;
    final String engineId;
    private int[] generated;
    private int numGenerated;
    int numChunks;
    long firstTokenAtMs;
    /** Text the engine released only at the end ({@code onToken(-1, rest)}); goes into the final chunk. */
    String heldBackText = "";
    RequestHandle handle;
    /** Wall-clock time it was (re)submitted to the engine, ms since the epoch. */
    final long submittedAtMs = System.currentTimeMillis();

    LiveRequest(InFlightRequest restored, String engineId) {
        this.prepared = restored.getPrepared();
        this.engineId = engineId;
        this.generated = Arrays.copyOf(restored.getGeneratedTokenIds(),
                Math.max(16, restored.getGeneratedTokenIds().length * 2));
        this.numGenerated = restored.getGeneratedTokenIds().length;
        this.numChunks = restored.getNumChunks();
        this.firstTokenAtMs = restored.getFirstTokenAtMs();
    }

    LiveRequest(PreparedRequest prepared, String engineId) {
        this(new InFlightRequest(prepared, new int[0], 0, -1), engineId);
    }

    void addToken(int token, long nowMs) {
        if (numGenerated == generated.length) {
            generated = Arrays.copyOf(generated, generated.length * 2);
        }
        generated[numGenerated++] = token;
        if (firstTokenAtMs < 0) {
            firstTokenAtMs = nowMs;
        }
    }

    int[] generatedTokenIds() {
        return Arrays.copyOf(generated, numGenerated);
    }

    String requestId() {
        return prepared.getRequest().getId();
    }

    boolean streams() {
        return prepared.getRequest().getStream();
    }

    InFlightRequest snapshot() {
        return new InFlightRequest(prepared, generatedTokenIds(), numChunks, firstTokenAtMs);
    }
}
