package io.prefixflow.runtime.sampling;

import java.util.Arrays;

/**
 * Picks the next token from logits: greedy, or temperature with top-k and top-p.
 *
 * <p>NOTE: the random number for output token {@code i} is a pure function of {@code (seed, i)}, not
 * the state of a generator. A request restored from a checkpoint with {@code i} tokens already generated
 * therefore continues with exactly the numbers an uninterrupted run would have drawn.
 *
 * <p>One sampler per engine thread; its scratch arrays are reused across calls.
 */
public final class Sampler {
    private int[] order = new int[0];
    private float[] probs = new float[0];
    private long[] keys = new long[0];

    /** Greedy: the highest logit, ties to the lowest id (a strict {@code >} scan, as run.c). */
    public static int argmax(float[] logits) {
        int best = 0;
        float bestValue = logits[0];
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > bestValue) {
                bestValue = logits[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * Greedy among the allowed tokens only: the highest allowed logit, ties to the lowest id; -1 when
     * none is allowed.
     *
     * @param allowedTokens bit {@code id % 64} of word {@code id / 64} set for each allowed id
     */
    public static int argmax(float[] logits, long[] allowedTokens) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        int numWords = Math.min(allowedTokens.length, (logits.length + 63) >>> 6);
        for (int w = 0; w < numWords; w++) {
            long bits = allowedTokens[w];
            while (bits != 0) {
                int id = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (id < logits.length && (best < 0 || logits[id] > bestValue)) {
                    bestValue = logits[id];
                    best = id;
                }
            }
        }
        return best;
    }

    /** Samples output token number {@code outputIndex} (0-based) of a request. */
    public int sample(float[] logits, SamplingParams params, int outputIndex) {
        return sample(logits, params, outputIndex, null);
    }

    /**
     * Samples output token number {@code outputIndex} among the allowed tokens only (structured output):
     * the others are as if their logit were -infinity, before greedy, temperature, top-k and top-p.
     *
     * <p>NOTE: with temperature the disallowed logits are overwritten with -infinity in place (no copy, no
     * allocation per step); {@code logits} must be this step's scratch. Greedy reads only allowed ids.
     *
     * @param allowedTokens bitset of allowed ids (bit {@code id % 64} of word {@code id / 64}), at least one
     *                      set; null allows every token
     */
    public int sample(float[] logits, SamplingParams params, int outputIndex, long[] allowedTokens) {
        if (allowedTokens != null) {
            if (params.isGreedy()) {
                int best = argmax(logits, allowedTokens);
                if (best < 0) {
                    throw new IllegalArgumentException("no token is allowed");
                }
                return best;
            }
            for (int id = 0; id < logits.length; id++) {
                int w = id >>> 6;
                if (w >= allowedTokens.length || (allowedTokens[w] >>> id & 1L) == 0) {
                    logits[id] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        if (params.isGreedy()) {
            return argmax(logits);
        }
        int n = logits.length;
        ensureCapacity(n);
        int kept = candidates(logits, params.topK(), n);
        // Softmax over the kept candidates, in descending logit order.
        float max = logits[order[0]];
        double sum = 0;
        for (int i = 0; i < kept; i++) {
            double p = Math.exp((logits[order[i]] - max) / params.temperature());
            probs[i] = (float) p;
            sum += p;
        }
        if (params.topP() < 1f) {
            double cumulative = 0;
            int cut = kept;
            for (int i = 0; i < kept; i++) {
                cumulative += probs[i] / sum;
                if (cumulative >= params.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            sum = 0;
            for (int i = 0; i < cut; i++) {
                sum += probs[i];
            }
            kept = cut;
        }
        double r = uniform(params.seed(), outputIndex) * sum;
        double cumulative = 0;
        int lastLikely = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += probs[i];
            if (probs[i] > 0) {
                lastLikely = i;
            }
            if (r < cumulative) {
                return order[i];
            }
        }
        // Rounding left r at the very top: the last candidate with any probability (never a masked one).
        return order[lastLikely];
    }

    /** Fills {@code order} with candidate ids by descending logit (ties: lower id first); returns how many. */
    private int candidates(float[] logits, int topK, int n) {
        int kept = topK > 0 ? Math.min(topK, n) : n;
        if (kept == n) {
            // One primitive sort of (logit, id) keys: no boxing, same order as comparing logits then ids.
            for (int id = 0; id < n; id++) {
                keys[id] = ((long) ~sortableBits(logits[id]) << 32) | id;
            }
            Arrays.sort(keys, 0, n);
            for (int i = 0; i < n; i++) {
                order[i] = (int) keys[i];
            }
            return n;
        }
        // Partial selection: keep the best `kept` in order by insertion (topK is small in practice).
        int size = 0;
        for (int id = 0; id < n; id++) {
            float v = logits[id];
            if (size == kept && !(v > logits[order[size - 1]])) {
                continue;
            }
            int pos = size == kept ? size - 1 : size++;
            while (pos > 0 && v > logits[order[pos - 1]]) {
                order[pos] = order[pos - 1];
                pos--;
            }
            order[pos] = id;
        }
        return size;
    }

    /** Float bits reordered so that signed int comparison follows float comparison ({@code -0.0 == 0.0}). */
    private static int sortableBits(float value) {
        int bits = Float.floatToIntBits(value + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private void ensureCapacity(int n) {
        if (order.length < n) {
            order = new int[n];
            probs = new float[n];
            keys = new long[n];
        }
    }

    /** A uniform number in [0, 1) determined by the seed and the output index (SplitMix64 finalizer). */
    static double uniform(long seed, int outputIndex) {
        long z = seed + 0x9E3779B97F4A7C15L * (outputIndex + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
