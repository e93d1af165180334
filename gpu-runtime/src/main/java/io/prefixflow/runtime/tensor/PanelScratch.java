package io.prefixflow.runtime.tensor;

/**
 * Per-thread work arrays of the panel kernels: the float panel and the raw bytes or halves copied out
 * of the weight buffer. Grown when a larger matrix first needs more, then reused; in steady state the
 * kernels allocate nothing.
 */
final class PanelScratch {
    private static final ThreadLocal<PanelScratch> CURRENT = ThreadLocal.withInitial(PanelScratch::new);

    private float[] panel = new float[0];
    private float[] accumulators = new float[0];
    private byte[] bytes = new byte[0];
    private short[] shorts = new short[0];

    private PanelScratch() {
    }

    /** This thread's scratch. */
    static PanelScratch current() {
        return CURRENT.get();
    }

    float[] panel(int minLength) {
        if (panel.length < minLength) {
            panel = new float[minLength];
        }
        return panel;
    }

    float[] accumulators(int minLength) {
        if (accumulators.length < minLength) {
            accumulators = new float[minLength];
        }
        return accumulators;
    }

    byte[] bytes(int minLength) {
        if (bytes.length < minLength) {
            bytes = new byte[minLength];
        }
        return bytes;
    }

    short[] shorts(int minLength) {
        if (shorts.length < minLength) {
            shorts = new short[minLength];
        }
        return shorts;
    }
}
