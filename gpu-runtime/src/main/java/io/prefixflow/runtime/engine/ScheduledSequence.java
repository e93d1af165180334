package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.runner.SequenceChunk;
import java.util.Objects;

/**
 * One sequence's part of a step plan.
 *
 * @param requestId    whose tokens these are
 * @param chunk        the tokens to compute, their start position and the sequence's block table
 * @param samplesToken whether the chunk reaches the sequence's last token, so its logits give the next
 *                     token (false for a prefill chunk that leaves more of the prompt to compute)
 */
public record ScheduledSequence(String requestId, SequenceChunk chunk, boolean samplesToken) {
    public ScheduledSequence {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(chunk, "chunk");
    }

    public int numTokens() {
        return chunk.tokenIds().length;
    }
}
