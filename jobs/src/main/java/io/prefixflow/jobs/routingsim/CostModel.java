package io.prefixflow.jobs.routingsim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated duration of one engine step, calibrated from {@code bench-engine}:
 * <pre>
 *   stepMs = 1000 * prefillTokens / prefillTokensPerS + decodeStepMs(numDecodes)
 *   decodeStepMs(b) = piecewise linear through the points (c, 1000 * c / decodeTokensPerS(c)),
 *                     linear extrapolation before the first and past the last point, never below 0
 * </pre>
 *
 * @param prefillTokensPerS prefill throughput of one sequence, tokens/s
 * @param decodeBatch       measured decode concurrencies, strictly increasing, at least one
 * @param decodeStepMs      the measured step time at each of them, ms
 */
public record CostModel(double prefillTokensPerS, int[] decodeBatch, double[] decodeStepMs) {
    public CostModel {
        if (!(prefillTokensPerS > 0) || Double.isInfinite(prefillTokensPerS)) {
            throw new IllegalArgumentException("prefill_tokens_per_s must be > 0, got " + prefillTokensPerS);
        }
        if (decodeBatch.length == 0 || decodeBatch.length != decodeStepMs.length) {
            throw new IllegalArgumentException("need one decode step time per concurrency, at least one, got "
                    + decodeBatch.length + " and " + decodeStepMs.length);
        }
        for (int i = 0; i < decodeBatch.length; i++) {
            if (decodeBatch[i] < 1 || (i > 0 && decodeBatch[i] <= decodeBatch[i - 1]) || !(decodeStepMs[i] > 0)) {
                throw new IllegalArgumentException("decode concurrencies must be >= 1 and increasing with step times"
                        + " > 0, got " + Arrays.toString(decodeBatch) + " / " + Arrays.toString(decodeStepMs));
            }
        }
        decodeBatch = decodeBatch.clone();
        decodeStepMs = decodeStepMs.clone();
    }

    /**
     * Reads {@code bench-engine --json}: {@code prefill_tokens_per_s} and {@code decode: [{concurrency,
     * tokens_per_s}]}.
     */
    public static CostModel fromBenchEngine(JsonNode json) {
        JsonNode prefill = json.get("prefill_tokens_per_s");
        JsonNode decode = json.get("decode");
        if (prefill == null || decode == null || !decode.isArray() || decode.isEmpty()) {
            throw new IllegalArgumentException("--calibration: expected bench-engine --json output with"
                    + " prefill_tokens_per_s and a decode array, got " + json);
        }
        List<JsonNode> points = new ArrayList<>();
        decode.forEach(points::add);
        points.sort((a, b) -> Integer.compare(a.get("concurrency").asInt(), b.get("concurrency").asInt()));
        int[] batch = new int[points.size()];
        double[] stepMs = new double[points.size()];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = points.get(i).get("concurrency").asInt();
            stepMs[i] = 1000.0 * batch[i] / points.get(i).get("tokens_per_s").asDouble();
        }
        return new CostModel(prefill.asDouble(), batch, stepMs);
    }

    /** Time of one step that computes {@code prefillTokens} prompt (or recomputed) tokens and decodes {@code numDecodes}. */
    public double stepMs(int prefillTokens, int numDecodes) {
        return 1000.0 * prefillTokens / prefillTokensPerS + decodeStepMs(numDecodes);
    }

    /** Step time of a decode batch of {@code batch} sequences; 0 for none. */
    public double decodeStepMs(int batch) {
        if (batch <= 0) {
            return 0;
        }
        if (decodeBatch.length == 1) {
            return decodeStepMs[0] * batch / decodeBatch[0];
        }
        int hi = 1;
        while (hi < decodeBatch.length - 1 && decodeBatch[hi] < batch) {
            hi++;
        }
        int lo = hi - 1;
        double slope = (decodeStepMs[hi] - decodeStepMs[lo]) / (decodeBatch[hi] - decodeBatch[lo]);
        return Math.max(0, decodeStepMs[lo] + slope * (batch - decodeBatch[lo]));
    }
}
