package io.prefixflow.jobs.chaos;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.jobs.cluster.ClusterJobs;
import io.prefixflow.jobs.cluster.ClusterProcess;
import io.prefixflow.jobs.cluster.ClusterSpec;
import io.prefixflow.jobs.cluster.FlinkRestClient;
import io.prefixflow.jobs.cluster.LocalCluster;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;

/**
 * One chaos run: start a cluster (2 TaskManagers, 2 slots each), run the job over the requests once without
 * failures (the reference), then again while killing TaskManagers that run its tasks (the first right after a
 * checkpoint completes, the second at once, mid-generation, the rest after a random delay; each replaced at once) and,
 * optionally, the broker once; wait until every request has a committed completion, two more checkpoints, and
 * every transaction settled; then compare what a read_committed consumer sees with the reference.
 *
 * <p>The chaos run's requests arrive as a stream, evenly over about 15 s per kill, so that every kill meets
 * work in flight. Kill {@code j} of {@code m} waits until {@code (j+1)/(m+1)} of that time has passed, the job
 * runs, and a checkpoint completed since the previous kill.
 */
public final class ChaosRun {
    private static final int PARALLELISM = 2;
    private static final int PARTITIONS = 2;

    private final ChaosSettings settings;
    private final Consumer<String> log;
    private final Random random;

    public ChaosRun(ChaosSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.random = new Random(settings.seed());
    }

    private enum Kill { AFTER_CHECKPOINT, MID_GENERATION, RANDOM_MOMENT, BROKER }

    /** Runs it; the cluster is stopped at the end, its work directory kept. */
    public ChaosReport run() throws Exception {
        log.accept("starting a cluster in " + settings.workDir());
        LocalCluster cluster = LocalCluster.start(settings.workDir(),
                ClusterSpec.withFreePorts(2, false, settings.userClasspath()), log);
        try {
            List<InferenceRequest> requests = ChaosRequests.build(settings.requests());
            List<String> ids = requests.stream().map(r -> r.getId().toString()).toList();
            for (String prefix : List.of("reference-", "chaos-")) {
                cluster.createTopic(prefix + "prompts", PARTITIONS);
                cluster.createTopic(prefix + "completions", PARTITIONS);
                cluster.createTopic(prefix + "dead-letters", 1);
            }
            PromptProducer.send(cluster.clientProperties(), "reference-prompts", requests, Duration.ZERO);
            log.accept("reference run (no failures) of " + requests.size() + " requests");
            Map<String, String> reference = referenceRun(cluster, ids);

            log.accept("chaos run: " + settings.taskManagerKills() + " TaskManager kills"
                    + (settings.killBroker() ? ", one broker kill" : "") + ", delivery " + settings.delivery());
            JobClient job = submit(cluster, "chaos-", settings.delivery());
            String jobId = job.getJobID().toString();
            OutputTopic output = new OutputTopic(cluster.clientProperties(), "chaos-completions");
            long startNanos = System.nanoTime();
            long deadline = startNanos + settings.timeout().toNanos();
            Duration spread = productionTime();
            log.accept("sending the requests over " + spread.toSeconds() + " s");
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                try {
                    PromptProducer.send(cluster.clientProperties(), "chaos-prompts", requests, spread);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            int[] kills = killAll(cluster, jobId, startNanos, spread, deadline);
            producing.get();
            boolean complete = awaitAllCommitted(cluster, jobId, output, ids.size(), deadline);
            double durationS = (System.nanoTime() - startNanos) / 1e9;
            if (!complete) {
                log.accept("time-out: not every request has a committed completion; counting what there is");
            }
            // NOTE: a late duplicate would be committed with a later checkpoint; wait for two, running.
            awaitRunningWithMoreCheckpoints(cluster.rest(), jobId, 2, Duration.ofSeconds(90));
            long restarts = cluster.rest().numRestarts(jobId).orElse(-1);
            job.cancel().get();
            if (!output.awaitSettled(Duration.ofMinutes(3))) {
                log.accept("warning: transactions on chaos-completions still open after 3 minutes");
            }
            DeliveryCheck check = DeliveryCheck.of(ids, output.readCommitted(), reference);
            return new ChaosReport(ids.size(), check.completions(), check.lost(), check.duplicated(),
                    check.mismatched(), kills[0], kills[1], restarts, durationS);
        } finally {
            cluster.stop();
        }
    }

    private Map<String, String> referenceRun(LocalCluster cluster, List<String> ids) throws Exception {
        JobClient job = submit(cluster, "reference-", DeliveryGuarantee.EXACTLY_ONCE);
        OutputTopic output = new OutputTopic(cluster.clientProperties(), "reference-completions");
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        if (!awaitAllCommitted(cluster, job.getJobID().toString(), output, ids.size(), deadline)) {
            throw new IllegalStateException("the reference run did not complete every request within "
                    + settings.timeout().toSeconds() + " s; see " + cluster.layout().logsDir());
        }
        job.cancel().get();
        output.awaitSettled(Duration.ofMinutes(1));
        Map<String, String> reference = new HashMap<>();
        for (DeliveryCheck.Output o : output.readCommitted()) {
            reference.putIfAbsent(o.requestId(), o.text());
        }
        return reference;
    }

    /** Performs the kills; returns {TaskManager kills, broker kills}. */
    /** How long sending the chaos run's requests takes: about 15 s per kill and one more, at least 20 s. */
    private Duration productionTime() {
        int steps = settings.taskManagerKills() + (settings.killBroker() ? 1 : 0);
        return Duration.ofSeconds(Math.max(20, 15L * (steps + 1)));
    }

    private int[] killAll(LocalCluster cluster, String jobId, long startNanos, Duration spread, long deadline)
            throws Exception {
        List<Kill> plan = new ArrayList<>();
        for (int i = 0; i < settings.taskManagerKills(); i++) {
            plan.add(i == 0 ? Kill.AFTER_CHECKPOINT : i == 1 ? Kill.MID_GENERATION : Kill.RANDOM_MOMENT);
        }
        if (settings.killBroker()) {
            plan.add(Math.min(1, plan.size()), Kill.BROKER);
        }
        FlinkRestClient rest = cluster.rest();
        int taskManagerKills = 0;
        int brokerKills = 0;
        long checkpointsAtLastKill = -1;
        for (int step = 0; step < plan.size(); step++) {
            long notBefore = startNanos + spread.toNanos() * (step + 1) / (plan.size() + 1);
            while (true) {
                if (System.nanoTime() > deadline) {
                    log.accept("time-out before kill " + (step + 1) + " of " + plan.size());
                    return new int[] {taskManagerKills, brokerKills};
                }
                if (System.nanoTime() >= notBefore && isRunning(rest, jobId)
                        && completed(rest, jobId) > checkpointsAtLastKill) {
                    break;
                }
                Thread.sleep(200);
            }
            Kill kill = plan.get(step);
            switch (kill) {
                case AFTER_CHECKPOINT -> {
                    long before = completed(rest, jobId);
                    while (completed(rest, jobId) <= before && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    killTaskManager(cluster, "right after checkpoint " + completed(rest, jobId) + " completed");
                    taskManagerKills++;
                }
                case MID_GENERATION -> {
                    killTaskManager(cluster, "mid-generation");
                    taskManagerKills++;
                }
                case RANDOM_MOMENT -> {
                    long delayMs = random.nextInt(3000);
                    Thread.sleep(delayMs);
                    killTaskManager(cluster, "at a random moment (" + delayMs + " ms later)");
                    taskManagerKills++;
                }
                case BROKER -> {
                    log.accept("killing the broker");
                    cluster.kill(ClusterProcess.KAFKA);
                    brokerKills++;
                    Thread.sleep(3000);
                    cluster.startBroker();
                    log.accept("broker restarted");
                }
            }
            checkpointsAtLastKill = completed(rest, jobId);
        }
        return new int[] {taskManagerKills, brokerKills};
    }

    /** Kills a TaskManager that runs some of the job's tasks (any live one if none is known) and replaces it. */
    private void killTaskManager(LocalCluster cluster, String when) throws Exception {
        List<Integer> live = cluster.liveTaskManagers();
        List<Integer> busy = new ArrayList<>();
        for (String id : cluster.rest().busyTaskManagers()) {
            int index = ClusterProcess.taskManagerIndex(id);
            if (live.contains(index)) {
                busy.add(index);
            }
        }
        List<Integer> candidates = busy.isEmpty() ? live : busy;
        int victim = candidates.get(random.nextInt(candidates.size()));
        log.accept("killing taskmanager-" + victim + " " + when
                + (busy.isEmpty() ? " (no busy TaskManager known)" : ""));
        cluster.kill(ClusterProcess.taskManager(victim));
        int replacement = cluster.startTaskManager();
        log.accept("started replacement taskmanager-" + replacement);
    }

    private boolean awaitAllCommitted(LocalCluster cluster, String jobId, OutputTopic output, int expected,
                                      long deadline) throws Exception {
        FlinkRestClient rest = cluster.rest();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            String state = safeState(rest, jobId);
            if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
                throw new IllegalStateException("job " + jobId + " ended " + state + " before every request had its"
                        + " completion; see " + cluster.layout().logsDir());
            }
            int now = output.committedDistinct();
            if (now != seen) {
                seen = now;
                log.accept(now + " of " + expected + " requests have a committed completion");
            }
            if (now >= expected) {
                return true;
            }
            Thread.sleep(2000);
        }
        return false;
    }

    private void awaitRunningWithMoreCheckpoints(FlinkRestClient rest, String jobId, int more, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = completed(rest, jobId) + more;
        while ((!isRunning(rest, jobId) || completed(rest, jobId) < target) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private JobClient submit(LocalCluster cluster, String prefix, DeliveryGuarantee delivery) throws Exception {
        Configuration conf = KafkaInferenceJob.defaults();
        conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        conf.set(KafkaJobOptions.INPUT_TOPIC, prefix + "prompts");
        conf.set(KafkaJobOptions.OUTPUT_TOPIC, prefix + "completions");
        conf.set(KafkaJobOptions.DEAD_LETTER_TOPIC, prefix + "dead-letters");
        conf.set(KafkaJobOptions.GROUP_ID, prefix + "job");
        conf.set(KafkaJobOptions.DELIVERY_GUARANTEE, delivery);
        conf.set(InferenceOptions.KV_CACHE_SIZE, MemorySize.ofMebiBytes(32));
        JobClient job = ClusterJobs.submit(cluster.jobManagerAddress(), conf, PARALLELISM,
                "prefixflow " + prefix + "run");
        log.accept("submitted job " + job.getJobID() + " (" + prefix + "run, " + delivery + ")");
        return job;
    }

    private static boolean isRunning(FlinkRestClient rest, String jobId) {
        return safeState(rest, jobId).equals("RUNNING");
    }

    private static String safeState(FlinkRestClient rest, String jobId) {
        try {
            return rest.jobState(jobId);
        } catch (java.io.IOException e) {
            return "UNKNOWN";
        }
    }

    private static long completed(FlinkRestClient rest, String jobId) {
        try {
            return rest.completedCheckpoints(jobId);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
