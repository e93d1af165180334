package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * What one engine step computes, decided by {@link Scheduler#schedule()}: running sequences first (decodes
 * and unfinished prefills), then chunks of newly admitted prompts.
 *
 * @param sequences          the sequences to run, at most one entry each
 * @param preemptedRequestIds requests preempted while planning this step (their blocks are already free)
 */
public record StepPlan(List<ScheduledSequence> sequences, List<String> preemptedRequestIds) {
    public StepPlan {
        sequences = List.copyOf(sequences);
        preemptedRequestIds = List.copyOf(preemptedRequestIds);
    }

    public boolean isEmpty() {
        return sequences.isEmpty();
    }

    public int numScheduledTokens() {
        int n = 0;
        for (ScheduledSequence s : sequences) {
            n += s.numTokens();
        }
        return n;
    }

    /** The batch for {@code ModelRunner.forward}: the chunks in plan order. */
    public ForwardBatch forwardBatch() {
        List<SequenceChunk> chunks = new ArrayList<>(sequences.size());
        for (ScheduledSequence s : sequences) {
            chunks.add(s.chunk());
        }
        return new ForwardBatch(chunks);
    }
}
