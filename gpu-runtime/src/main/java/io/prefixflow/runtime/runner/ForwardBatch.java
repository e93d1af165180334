package io.prefixflow.runtime.runner;

import java.util.List;

/** The work of one forward step: any mix of prefill chunks and single decode tokens. */
public record ForwardBatch(List<SequenceChunk> sequences) {
    public ForwardBatch {
        sequences = List.copyOf(sequences);
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a forward batch needs at least one sequence");
        }
    }

    public static ForwardBatch of(SequenceChunk... chunks) {
        return new ForwardBatch(List.of(chunks));
    }

    public int totalTokens() {
        int n = 0;
        for (SequenceChunk s : sequences) {
            n += s.tokenIds().length;
        }
        return n;
    }
}
