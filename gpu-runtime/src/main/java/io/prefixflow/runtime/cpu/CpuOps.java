package io.prefixflow.runtime.cpu;

/** The small per-token operations of the forward pass (everything but the matrix products). */
final class CpuOps {
    private CpuOps() {
    }

    /** {@code out = weight * x / rms(x)}, as run.c computes it. */
    static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int size, float eps) {
        float ss = 0f;
        for (int i = 0; i < size; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        ss /= size;
        ss += eps;
        ss = (float) (1.0 / Math.sqrt(ss));
        for (int i = 0; i < size; i++) {
            out[outOff + i] = weight[i] * (ss * x[xOff + i]);
        }
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** {@code y += a * x}. */
    static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** {@code y += x}. */
    static void add(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    static void softmax(float[] x, int off, int size) {
        float max = x[off];
        for (int i = 1; i < size; i++) {
            max = Math.max(max, x[off + i]);
        }
        float sum = 0f;
        for (int i = 0; i < size; i++) {
            x[off + i] = (float) Math.exp(x[off + i] - max);
            sum += x[off + i];
        }
        for (int i = 0; i < size; i++) {
            x[off + i] /= sum;
        }
    }

    /** {@code out = silu(gate) * up}. */
    static void swiglu(float[] out, int outOff, float[] gate, int gateOff, float[] up, int upOff, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[gateOff + i];
            out[outOff + i] = g / (1f + (float) Math.exp(-g)) * up[upOff + i];
        }
    }
}
