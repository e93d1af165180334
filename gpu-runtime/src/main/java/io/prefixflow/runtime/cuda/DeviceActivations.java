package io.prefixflow.runtime.cuda;

import io.prefixflow.runtime.model.ModelConfig;

/**
 * Scratch activations on the GPU for steps of up to {@code capacityTokens} tokens over up to
 * {@code capacitySeqs} sequences, and room for the step plan. Row-major F32, shapes as in the CPU runner.
 */
final class DeviceActivations implements AutoCloseable {
    final int capacityTokens;
    final int capacitySeqs;
    final int capacityPlanInts;
    final DeviceBuffer x;      // (tokens, dim) residual stream
    final DeviceBuffer xb;     // (tokens, dim) normed input / block output
    final DeviceBuffer q;      // (tokens, dim)
    final DeviceBuffer k;      // (tokens, kvDim)
    final DeviceBuffer v;      // (tokens, kvDim)
    final DeviceBuffer att;    // (tokens, dim) attention output before wo
    final DeviceBuffer hb;     // (tokens, hiddenDim) gate, then silu(gate) * up
    final DeviceBuffer hb2;    // (tokens, hiddenDim) up
    final DeviceBuffer last;   // (seqs, dim) normed last positions
    final DeviceBuffer logits; // (seqs, vocab)
    final DeviceBuffer greedy; // (seqs) argmax token ids
    final DeviceBuffer plan;   // the packed StepPlan

    DeviceActivations(ModelConfig c, int capacityTokens, int capacitySeqs, int capacityPlanInts) {
        this.capacityTokens = capacityTokens;
        this.capacitySeqs = capacitySeqs;
        this.capacityPlanInts = capacityPlanInts;
        long t = capacityTokens;
        long s = capacitySeqs;
        x = new DeviceBuffer(t * c.dim() * Float.BYTES);
        try {
            xb = new DeviceBuffer(t * c.dim() * Float.BYTES);
            q = new DeviceBuffer(t * c.dim() * Float.BYTES);
            k = new DeviceBuffer(t * c.kvDim() * Float.BYTES);
            v = new DeviceBuffer(t * c.kvDim() * Float.BYTES);
            att = new DeviceBuffer(t * c.dim() * Float.BYTES);
            hb = new DeviceBuffer(t * c.hiddenDim() * Float.BYTES);
            hb2 = new DeviceBuffer(t * c.hiddenDim() * Float.BYTES);
            last = new DeviceBuffer(s * c.dim() * Float.BYTES);
            logits = new DeviceBuffer(s * c.vocabSize() * Float.BYTES);
            greedy = new DeviceBuffer(s * Integer.BYTES);
            plan = new DeviceBuffer((long) capacityPlanInts * Integer.BYTES);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    boolean fits(int numTokens, int numSeqs, int planInts) {
        return numTokens <= capacityTokens && numSeqs <= capacitySeqs && planInts <= capacityPlanInts;
    }

    /** Capacity to allocate for a request: at least the need, and at least twice a capacity outgrown. */
    static int grow(int current, int needed) {
        return needed <= current ? current : Math.max(needed, (int) Math.min(Integer.MAX_VALUE, 2L * current));
    }

    @Override
    public void close() {
        for (DeviceBuffer b : new DeviceBuffer[] {x, xb, q, k, v, att, hb, hb2, last, logits, greedy, plan}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
