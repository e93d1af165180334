package io.prefixflow.jobs.bench;

/**
 * The serving metrics of one {@code bench} run. Written as JSON in snake case ({@code request_throughput},
 * ...). Latencies in ms; throughputs per second of the run's duration (first prompt sent to last completion
 * read).
 *
 * @param completed              successful completions
 * @param failed                 error completions
 * @param durationS              first prompt sent to last completion read
 * @param requestThroughput      successful completions per second
 * @param outputTokenThroughput  generated tokens (of successful completions) per second
 * @param goodput                successful completions meeting the SLO per second
 * @param ttftMs                 engine's time to first token (arrival at the operator to first token)
 * @param tpotMs                 engine's time per output token after the first (requests with more than one)
 * @param itlMs                  inter-token latency: client's gaps between consecutive chunks of a request
 * @param e2eLatencyMs           client's send-to-completion-read time
 * @param promptTokens           prompt tokens of successful completions
 * @param cachedPromptTokens     of which from the prefix cache
 * @param prefixCacheHitRate     cachedPromptTokens / promptTokens
 * @param outputTokens           generated tokens of successful completions
 * @param requestsPerSubtask     successful completions by the inference subtask that served them (index =
 *                               subtask); empty when no completion said
 * @param maxMeanRequests        the busiest subtask's completions over the mean of the subtasks listed (1 =
 *                               perfect balance; 0 when none)
 */
public record RunMetrics(int completed, int failed, double durationS, double requestThroughput,
                         double outputTokenThroughput, double goodput, Distribution ttftMs, Distribution tpotMs,
                         Distribution itlMs, Distribution e2eLatencyMs, long promptTokens, long cachedPromptTokens,
                         double prefixCacheHitRate, long outputTokens, java.util.List<Integer> requestsPerSubtask,
                         double maxMeanRequests) {
    public RunMetrics {
        requestsPerSubtask = java.util.List.copyOf(requestsPerSubtask);
    }
}
