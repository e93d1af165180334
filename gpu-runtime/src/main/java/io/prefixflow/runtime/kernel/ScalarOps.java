package io.prefixflow.runtime.kernel;

/**
 * The non-matmul operations of a Llama forward pass in plain Java, one value at a time: the reference
 * that {@link VectorOps} is tested against. Same methods, same arguments; arrays with offsets, nothing
 * allocated. Formulas follow llama2.c's {@code run.c}.
 */
public final class ScalarOps {
    private ScalarOps() {
    }

    /**
     * RMS norm: {@code out[i] = weight[i] * (s * x[i])} with {@code s = 1 / sqrt(sum(x^2) / size + eps)}.
     * {@code out} may be {@code x} (same offset).
     */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int weightOff,
                               int size, float eps) {
        float ss = 0f;
        for (int i = 0; i < size; i++) {
            ss += x[xOff + i] * x[xOff + i];
        }
        ss /= size;
        ss += eps;
        ss = 1f / (float) Math.sqrt(ss);
        for (int i = 0; i < size; i++) {
            out[outOff + i] = weight[weightOff + i] * (ss * x[xOff + i]);
        }
    }

    /** {@code sum a[aOff + i] * b[bOff + i]} over {@code i < n}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** {@code y[yOff + i] += a * x[xOff + i]} for {@code i < n}. */
    public static void axpy(float[] y, int yOff, float a, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    /** In-place softmax of {@code x[off .. off + n)}: subtract the max, exponentiate, divide by the sum. */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) Math.exp(x[off + i] - max);
            sum += x[off + i];
        }
        for (int i = 0; i < n; i++) {
            x[off + i] /= sum;
        }
    }

    /**
     * SwiGLU gate: {@code out[i] = silu(gate[i]) * up[i]} with {@code silu(g) = g / (1 + e^-g)}.
     * {@code out} may be {@code gate} or {@code up} (same offset).
     */
    public static void swiglu(float[] out, int outOff, float[] gate, int gateOff, float[] up, int upOff, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[gateOff + i];
            out[outOff + i] = g / (1f + (float) Math.exp(-g)) * up[upOff + i];
        }
    }

    /** Residual add: {@code y[yOff + i] += x[xOff + i]} for {@code i < n}. */
    public static void add(float[] y, int yOff, float[] x, int xOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** {@code scale * sum_i a[aOff + i] * b[bOff + i]}, one FMA per i in order from zero, then the scale. */
    public static float dotSequential(float[] a, int aOff, float[] b, int bOff, int n, float scale) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum = Math.fma(a[aOff + i], b[bOff + i], sum);
        }
        return sum * scale;
    }
}
