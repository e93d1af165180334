package io.prefixflow.jobs.routingsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The simulator's output: one JSON document, or a readable table. */
public final class RoutingSimReport {
    private RoutingSimReport() {
    }

    /**
     * @param command     the command line that produced it
     * @param machine     where the calibration was measured and the simulation ran
     * @param calibration the bench-engine JSON the cost model came from
     * @param settings    what ran
     * @param results     every row
     */
    public static ObjectNode json(ObjectMapper mapper, String command, ObjectNode machine, JsonNode calibration,
                                  SimSettings settings, List<ModeResult> results) {
        ObjectNode root = mapper.createObjectNode();
        root.put("command", command);
        root.set("machine", machine);
        root.set("calibration", calibration);
        ObjectNode s = root.putObject("settings");
        ArrayNode ps = s.putArray("parallelism");
        settings.parallelisms().forEach(ps::add);
        ArrayNode ws = s.putArray("workloads");
        settings.workloads().forEach(w -> ws.add(w.label()));
        s.put("requests_per_subtask", settings.requestsPerSubtask());
        s.put("kv_blocks_per_subtask", settings.kvBlocksPerSubtask());
        s.put("block_size", settings.blockSize());
        s.put("max_running", settings.maxRunning());
        s.put("max_batched_tokens", settings.maxBatchedTokens());
        s.put("arrival", settings.burst() ? "burst" : "poisson");
        if (!settings.burst()) {
            s.put("load_vs_ideal_capacity", settings.load());
        }
        s.put("seed", settings.seed());
        s.put("prepare_parallelism", settings.prepareParallelism() == 0 ? "= parallelism"
                : String.valueOf(settings.prepareParallelism()));
        ObjectNode routing = s.putObject("routing");
        routing.put("prefix_blocks", settings.routing().prefixBlocks());
        routing.put("index_capacity", settings.routing().indexCapacity());
        routing.put("balance_abs_threshold", settings.routing().balanceAbsTokens());
        routing.put("balance_rel_threshold", settings.routing().balanceRel());
        routing.put("load_half_life_ms", settings.routing().loadHalfLifeMs());
        routing.put("replica_idle_timeout_ms", settings.routing().replicaIdleTimeoutMs());
        ArrayNode rows = root.putArray("results");
        for (ModeResult r : results) {
            ObjectNode row = rows.addObject();
            row.put("parallelism", r.parallelism());
            row.put("workload", r.workload());
            row.put("mode", r.mode());
            row.put("requests", r.requests());
            row.put("throughput_rps", round(r.throughputPerS()));
            row.put("throughput_vs_ideal", round(r.throughputVsIdeal()));
            row.put("hit_rate", round(r.hitRate()));
            row.put("hit_rate_vs_single_engine", round(r.hitRateVsSingleEngine()));
            row.put("max_mean_load", round(r.maxMeanLoad()));
            row.put("latency_p50_ms", round(r.latencyP50Ms()));
            row.put("latency_p99_ms", round(r.latencyP99Ms()));
            row.put("preemptions", r.preemptions());
            if (!r.reasons().isEmpty()) {
                ObjectNode reasons = row.putObject("routing_reasons");
                r.reasons().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(e -> reasons.put(e.getKey(), e.getValue()));
            }
        }
        return root;
    }

    /** One line per row, grouped by parallelism and workload. */
    public static String table(List<ModeResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%5s  %-18s %-12s %8s %8s %8s %8s %10s %10s %7s%n", "p", "workload",
                "mode", "thr/ideal", "hit", "hit/1eng", "max/mean", "p50 ms", "p99 ms", "preempt"));
        for (ModeResult r : results) {
            out.append(String.format(Locale.ROOT, "%5d  %-18s %-12s %8.3f %8.3f %8.3f %8.3f %10.0f %10.0f %7d%n",
                    r.parallelism(), r.workload(), r.mode(), r.throughputVsIdeal(), r.hitRate(),
                    r.hitRateVsSingleEngine(), r.maxMeanLoad(), r.latencyP50Ms(), r.latencyP99Ms(), r.preemptions()));
        }
        return out.toString();
    }

    /** Writes {@code dir/routing-sim.json} and the charts; returns the chart file names. */
    public static List<String> write(Path dir, ObjectMapper mapper, ObjectNode json, List<ModeResult> results)
            throws IOException {
        Files.createDirectories(dir);
        mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("routing-sim.json").toFile(), json);
        return RoutingSimCharts.write(dir, results);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
