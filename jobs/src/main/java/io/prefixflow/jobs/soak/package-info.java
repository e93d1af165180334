/**
 * {@code soak}: the job on a real local cluster ({@link io.prefixflow.jobs.cluster.LocalCluster}) under a steady,
 * open-loop request rate for a long time, sampled every few seconds (each process's heap after a full GC and
 * RSS, the engines' KV blocks, the latest checkpoint's size, end-to-end p99 latency), with a least-squares
 * slope per series after a warm-up, so that a leak shows as growth beyond noise.
 *
 * <pre>
 * SoakRun ── LocalCluster.start, ClusterJobs.submit
 *   ├─ OpenLoopProducer ──► soak-prompts ──► job ──► soak-completions ──► CompletionWatcher
 *   │        └──────────── LatencyTracker (sent at / first seen at, per request id) ◄──┘
 *   └─ Sampler every interval: HeapProbe (JMX), Rss (/proc), EngineMetrics (Prometheus), CheckpointSize (REST)
 *        → Sample → SamplesCsv, SoakChart, Slopes → SoakReport (one JSON line)
 * </pre>
 */
package io.prefixflow.jobs.soak;
