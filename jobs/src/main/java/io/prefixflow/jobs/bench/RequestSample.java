package io.prefixflow.jobs.bench;

import java.util.List;

/**
 * What {@code bench} measured of one request.
 *
 * @param promptTokens       tokens of the rendered prompt (from the completion)
 * @param cachedPromptTokens prompt tokens served from the prefix cache
 * @param outputTokens       tokens generated
 * @param ttftMs             engine's time from arrival at the operator to the first token; -1 when none
 * @param engineTotalMs      engine's time from arrival at the operator to the completion
 * @param e2eMs              client's time from sending the prompt to reading its completion
 * @param chunkGapsMs        client's times between consecutive chunks of the request (empty without chunks)
 * @param error              whether the completion is an error
 * @param servedBySubtask    the inference subtask that served it; -1 when unknown
 */
public record RequestSample(int promptTokens, int cachedPromptTokens, int outputTokens, long ttftMs,
                            long engineTotalMs, double e2eMs, List<Double> chunkGapsMs, boolean error,
                            int servedBySubtask) {
    public RequestSample {
        chunkGapsMs = List.copyOf(chunkGapsMs);
    }

    /**
     * Time per output token after the first, from the engine's timings: {@code (total - ttft) / (n - 1)}.
     * NOTE: with one output token (or none) there is no such time; it is defined as 0, so such a request
     * meets any TPOT objective, and {@link BenchMetrics} leaves it out of the TPOT distribution.
     */
    public double tpotMs() {
        if (outputTokens <= 1 || ttftMs < 0) {
            return 0;
        }
        return (double) (engineTotalMs - ttftMs) / (outputTokens - 1);
    }
}
