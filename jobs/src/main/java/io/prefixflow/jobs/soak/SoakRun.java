package io.prefixflow.jobs.soak;

import io.prefixflow.jobs.cluster.ClusterJobs;
import io.prefixflow.jobs.cluster.ClusterSpec;
import io.prefixflow.jobs.cluster.FlinkRestClient;
import io.prefixflow.jobs.cluster.LocalCluster;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;

/**
 * One soak run: start a cluster (metrics on), submit the job (exactly-once, the built-in model, 32 MiB KV cache
 * per engine, as chaos), send requests open loop at a steady rate for the duration while a {@code read_committed}
 * consumer times each completion, take a {@link Sample} every interval, then wait for the missing completions
 * (the drain), write {@code samples.csv}, {@code soak.png} and {@code soak.json} and stop the cluster.
 */
public final class SoakRun {
    private static final int PARTITIONS = 2;
    private static final String PROMPTS = "soak-prompts";
    private static final String COMPLETIONS = "soak-completions";
    private static final Duration JOB_START_TIMEOUT = Duration.ofMinutes(2);

    private final SoakSettings settings;
    private final Consumer<String> log;

    public SoakRun(SoakSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /** Runs it; the cluster is stopped at the end unless {@code keepCluster}, its work directory kept. */
    public SoakReport run() throws Exception {
        log.accept("starting a cluster in " + settings.workDir());
        LocalCluster cluster = LocalCluster.start(settings.workDir(),
                ClusterSpec.withFreePorts(settings.numTaskManagers(), true, settings.userClasspath()), log);
        try {
            cluster.createTopic(PROMPTS, PARTITIONS);
            cluster.createTopic(COMPLETIONS, PARTITIONS);
            cluster.createTopic("soak-dead-letters", 1);
            JobClient job = submit(cluster);
            String jobId = job.getJobID().toString();
            awaitRunning(cluster.rest(), jobId);
            SoakReport report = soak(cluster, jobId);
            if (!settings.keepCluster()) {
                job.cancel().get();
            }
            return report;
        } finally {
            if (!settings.keepCluster()) {
                cluster.stop();
            } else {
                log.accept("the cluster keeps running: `cluster stop --work-dir " + settings.workDir() + "`");
            }
        }
    }

    private SoakReport soak(LocalCluster cluster, String jobId) throws Exception {
        LatencyTracker tracker = new LatencyTracker();
        CompletionWatcher watcher = new CompletionWatcher(cluster.clientProperties(), COMPLETIONS, tracker);
        OpenLoopProducer producer = new OpenLoopProducer(cluster.clientProperties(), PROMPTS,
                settings.ratePerSecond(), settings.duration(), tracker);
        Thread watching = new Thread(watcher, "soak-completions");
        Thread producing = new Thread(producer, "soak-producer");
        watching.setDaemon(true);
        producing.setDaemon(true);
        watching.start();
        log.accept(String.format(Locale.ROOT, "sending %.2f requests/s for %d s, a sample every %d s",
                settings.ratePerSecond(), settings.duration().toSeconds(), settings.sampleInterval().toSeconds()));
        long startNanos = System.nanoTime();
        producing.start();
        List<Sample> samples = new ArrayList<>();
        String state = "RUNNING";
        long intervalNanos = settings.sampleInterval().toNanos();
        long nextNanos = startNanos + intervalNanos;
        try (Sampler sampler = new Sampler(cluster, jobId, tracker, log)) {
            while (producing.isAlive()) {
                long waitMs = (nextNanos - System.nanoTime()) / 1_000_000;
                if (waitMs > 0) {
                    producing.join(waitMs);
                }
                if (!producing.isAlive() && System.nanoTime() < nextNanos) {
                    break;
                }
                Sample s = sampler.sample((System.nanoTime() - startNanos) / 1e9);
                samples.add(s);
                log.accept(progress(s));
                while (nextNanos <= System.nanoTime()) {
                    nextNanos += intervalNanos;
                }
                state = safeState(cluster.rest(), jobId);
                if (isTerminal(state) || watcher.failure() != null) {
                    log.accept("the job is " + state + (watcher.failure() != null ? "; reading completions failed: "
                            + watcher.failure() : "") + "; stopping");
                    producer.stop();
                }
            }
        }
        producing.join();
        double durationS = (System.nanoTime() - startNanos) / 1e9;
        if (producer.failure() != null) {
            throw new IllegalStateException("sending requests failed: " + producer.failure(), producer.failure());
        }
        if (!isTerminal(state)) {
            state = drain(cluster.rest(), jobId, tracker, watcher);
        }
        watcher.stop();
        watching.join(10_000);
        long restarts = cluster.rest().numRestarts(jobId).orElse(-1);
        SoakReport report = report(samples, tracker, durationS, state, restarts);
        write(samples, report);
        if (tracker.unknownCompletions() > 0) {
            log.accept("warning: " + tracker.unknownCompletions() + " completions answer no request sent");
        }
        return report;
    }

    /** Waits until every sent request has a completion, the job ends or the drain time-out passes. */
    private String drain(FlinkRestClient rest, String jobId, LatencyTracker tracker, CompletionWatcher watcher)
            throws InterruptedException {
        log.accept("production done; waiting up to " + settings.drainTimeout().toSeconds() + " s for "
                + (tracker.sentCount() - tracker.completedCount()) + " completions");
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        String state = safeState(rest, jobId);
        while (tracker.completedCount() < tracker.sentCount() && System.nanoTime() < deadline
                && !isTerminal(state) && watcher.failure() == null) {
            Thread.sleep(500);
            state = safeState(rest, jobId);
        }
        log.accept(tracker.completedCount() + " of " + tracker.sentCount() + " requests completed; job " + state);
        return state;
    }

    private SoakReport report(List<Sample> samples, LatencyTracker tracker, double durationS, String state,
                              long restarts) {
        double warmUpS = settings.warmUpSeconds();
        Map<String, LeastSquares> trends = Trends.perHour(samples, warmUpS);
        List<Sample> steady = Trends.afterWarmUp(samples, warmUpS);
        return new SoakReport(durationS, settings.ratePerSecond(), tracker.sentCount(), tracker.completedCount(),
                state, restarts, warmUpS, samples.size(), LatencyTracker.quantile(tracker.all(), 0.99), trends,
                Trends.firstKnown(steady), Trends.lastKnown(steady));
    }

    private void write(List<Sample> samples, SoakReport report) throws IOException {
        Files.createDirectories(settings.outDir());
        SamplesCsv.write(settings.outDir().resolve("samples.csv"), samples);
        SoakChart.write(settings.outDir().resolve("soak.png"), samples, settings.warmUpSeconds());
        Files.writeString(settings.outDir().resolve("soak.json"), report.toJson() + "\n");
        log.accept("wrote samples.csv, soak.png and soak.json to " + settings.outDir());
    }

    private JobClient submit(LocalCluster cluster) throws Exception {
        Configuration conf = KafkaInferenceJob.defaults();
        conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        conf.set(KafkaJobOptions.INPUT_TOPIC, PROMPTS);
        conf.set(KafkaJobOptions.OUTPUT_TOPIC, COMPLETIONS);
        conf.set(KafkaJobOptions.DEAD_LETTER_TOPIC, "soak-dead-letters");
        conf.set(KafkaJobOptions.GROUP_ID, "soak-job");
        conf.set(KafkaJobOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
        conf.set(InferenceOptions.KV_CACHE_SIZE, MemorySize.ofMebiBytes(32));
        int parallelism = settings.numTaskManagers() * ClusterSpec.DEFAULT_SLOTS_PER_TASK_MANAGER;
        JobClient job = ClusterJobs.submit(cluster.jobManagerAddress(), conf, parallelism, "prefixflow soak");
        log.accept("submitted job " + job.getJobID() + " (parallelism " + parallelism + ", exactly-once)");
        return job;
    }

    private void awaitRunning(FlinkRestClient rest, String jobId) throws Exception {
        long deadline = System.nanoTime() + JOB_START_TIMEOUT.toNanos();
        String state = safeState(rest, jobId);
        while (!state.equals("RUNNING")) {
            if (isTerminal(state) || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " is " + state + ", not RUNNING, "
                        + JOB_START_TIMEOUT.toSeconds() + " s after submission; see " + settings.workDir());
            }
            Thread.sleep(250);
            state = safeState(rest, jobId);
        }
    }

    private static String progress(Sample s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "t=%.0fs sent=%d completed=%d (+%d) p99=%.0fms kv used/cached=%.0f/%.0f checkpoint=%.2fMiB",
                s.elapsedS(), s.sent(), s.completed(), s.completedInInterval(), s.p99Ms(), s.engines().usedBlocks(),
                s.engines().cachedBlocks(), s.checkpoint().stateSizeBytes() / (1024.0 * 1024.0)));
        s.memory().forEach((role, m) -> b.append(String.format(Locale.ROOT, " %s heap/rss=%.0f/%.0fMiB", role,
                m.heapAfterGcBytes() / (1024.0 * 1024.0), m.rssBytes() / (1024.0 * 1024.0))));
        return b.toString();
    }

    private static boolean isTerminal(String state) {
        return state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED");
    }

    private static String safeState(FlinkRestClient rest, String jobId) {
        try {
            return rest.jobState(jobId);
        } catch (IOException e) {
            return "UNKNOWN";
        }
    }
}
