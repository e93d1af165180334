package io.prefixflow.jobs.bench;

import java.util.Map;

/**
 * One run of {@code bench}: its name, configuration and metrics; written as one JSON file.
 *
 * @param name         e.g. {@code prefix-routing_cache-on_rate-inf}
 * @param config       workload, routing, prefix cache, request rate, parallelism, model, ...
 * @param metrics      the serving metrics
 * @param peakKvBlocks sum over the inference subtasks of each engine's peak of used KV blocks (from the
 *                     operator's {@code peakUsedKvBlocks} gauge); -1 when not available (remote deployment)
 */
public record RunResult(String name, Map<String, Object> config, RunMetrics metrics, long peakKvBlocks) {
}
