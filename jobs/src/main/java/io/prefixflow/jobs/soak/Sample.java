package io.prefixflow.jobs.soak;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample of a soak run. NaN marks what is not known (no completion in the interval, no checkpoint yet).
 *
 * @param elapsedS             seconds since production started
 * @param sent                 requests sent so far
 * @param completed            requests with a committed completion seen so far
 * @param completedInInterval  completions seen since the previous sample
 * @param p99Ms                p99 end-to-end latency (sent → committed completion seen) of those, in ms
 * @param engines              KV blocks used and cached, summed over every TaskManager's engines
 * @param checkpoint           the latest completed checkpoint
 * @param memory               per process role ({@code kafka}, {@code jobmanager}, {@code taskmanager-N}), in
 *                             that order
 */
record Sample(double elapsedS, long sent, long completed, long completedInInterval, double p99Ms,
              EngineMetrics engines, CheckpointSize checkpoint, Map<String, ProcessMemory> memory) {
    private static final double MIB = 1024.0 * 1024.0;

    Sample {
        memory = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(memory));
    }

    /** The sample as named columns, in CSV order; names carry units. */
    Map<String, Double> columns() {
        Map<String, Double> c = new LinkedHashMap<>();
        c.put("t_s", elapsedS);
        c.put("sent", (double) sent);
        c.put("completed", (double) completed);
        c.put("completed_in_interval", (double) completedInInterval);
        c.put("p99_ms", p99Ms);
        c.put("kv_used_blocks", engines.usedBlocks());
        c.put("kv_cached_blocks", engines.cachedBlocks());
        c.put("checkpoint_id", (double) checkpoint.id());
        c.put("checkpoint_state_bytes", checkpoint.stateSizeBytes());
        c.put("checkpoint_incremental_bytes", checkpoint.checkpointedBytes());
        for (Map.Entry<String, ProcessMemory> e : memory.entrySet()) {
            c.put(e.getKey() + "_heap_after_gc_mib", e.getValue().heapAfterGcBytes() / MIB);
            c.put(e.getKey() + "_rss_mib", e.getValue().rssBytes() / MIB);
        }
        return c;
    }

    /** Whether column {@code name} is a level worth a trend (not a counter, id or per-interval count). */
    static boolean trended(String name) {
        return name.endsWith("_heap_after_gc_mib") || name.endsWith("_rss_mib") || name.startsWith("kv_")
                || name.equals("checkpoint_state_bytes") || name.equals("p99_ms");
    }
}
