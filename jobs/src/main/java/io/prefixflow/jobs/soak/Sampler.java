package io.prefixflow.jobs.soak;

import io.prefixflow.jobs.cluster.ClusterProcess;
import io.prefixflow.jobs.cluster.LocalCluster;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes one {@link Sample} of a running soak: every live cluster process's heap after a full GC and RSS, the
 * TaskManagers' KV blocks, the latest checkpoint, and the latencies the tracker saw since the previous sample.
 * A probe that fails leaves NaN in its column and logs why once per role.
 */
final class Sampler implements AutoCloseable {
    private final LocalCluster cluster;
    private final String jobId;
    private final LatencyTracker tracker;
    private final Consumer<String> log;
    private final Map<String, HeapProbe> probes = new HashMap<>();
    private final Map<String, String> reported = new HashMap<>();

    Sampler(LocalCluster cluster, String jobId, LatencyTracker tracker, Consumer<String> log) {
        this.cluster = cluster;
        this.jobId = jobId;
        this.tracker = tracker;
        this.log = log;
    }

    Sample sample(double elapsedS) throws IOException {
        long sent = tracker.sentCount();
        long completed = tracker.completedCount();
        List<Double> latencies = tracker.drainInterval();
        Map<String, ProcessMemory> memory = new LinkedHashMap<>();
        EngineMetrics engines = new EngineMetrics(Double.NaN, Double.NaN);
        for (ClusterProcess p : cluster.processes()) {
            if (!p.alive()) {
                continue;
            }
            memory.put(p.role(), new ProcessMemory(heapAfterGc(p), rss(p)));
            if (ClusterProcess.taskManagerIndex(p.role()) > 0 && p.port() > 0) {
                try {
                    EngineMetrics m = EngineMetrics.scrape(p.port());
                    engines = Double.isNaN(engines.usedBlocks()) ? m : engines.plus(m);
                } catch (IOException e) {
                    once(p.role() + "-metrics", "cannot scrape " + p.role() + "'s metrics: " + e.getMessage());
                }
            }
        }
        CheckpointSize checkpoint;
        try {
            checkpoint = CheckpointSize.latest(cluster.rest(), jobId);
        } catch (IOException e) {
            once("checkpoints", "cannot read the checkpoints: " + e.getMessage());
            checkpoint = new CheckpointSize(-1, Double.NaN, Double.NaN, -1);
        }
        return new Sample(elapsedS, sent, completed, latencies.size(), LatencyTracker.quantile(latencies, 0.99),
                engines, checkpoint, memory);
    }

    private double heapAfterGc(ClusterProcess p) {
        try {
            HeapProbe probe = probes.get(p.role());
            if (probe == null || probe.pid() != p.pid()) {
                probe = HeapProbe.attach(p.pid());
                probes.put(p.role(), probe);
            }
            return probe.heapAfterGcBytes();
        } catch (IOException | RuntimeException e) {
            once(p.role() + "-heap", "cannot read " + p.role() + "'s heap: " + e);
            HeapProbe stale = probes.remove(p.role());
            closeQuietly(stale);
            return Double.NaN;
        }
    }

    private double rss(ClusterProcess p) {
        try {
            return Rss.bytes(p.pid());
        } catch (IOException | RuntimeException e) {
            once(p.role() + "-rss", "cannot read " + p.role() + "'s RSS: " + e.getMessage());
            return Double.NaN;
        }
    }

    private void once(String key, String message) {
        if (reported.putIfAbsent(key, message) == null) {
            log.accept("warning: " + message);
        }
    }

    private static void closeQuietly(HeapProbe probe) {
        if (probe == null) {
            return;
        }
        try {
            probe.close();
        } catch (IOException e) {
            // NOTE: the connection is already broken; nothing more to do with it.
        }
    }

    @Override
    public void close() {
        probes.values().forEach(Sampler::closeQuietly);
        probes.clear();
    }
}
