package io.prefixflow.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.jobs.chaos.OutputTopic;
import io.prefixflow.jobs.chaos.PromptProducer;
import io.prefixflow.jobs.cli.Main;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.job.KafkaInferenceJob;
import io.prefixflow.operator.job.KafkaJobOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A real local cluster (broker, JobManager, one TaskManager: separate processes) running the job over requests
 * that share a long prefix: {@code cluster status} sees every process and the running job, the Prometheus
 * endpoint has every engine metric with a plausible value, and the web UI in headless Chromium shows the job and
 * its operators.
 */
class LocalClusterITCase {
    private static final int REQUESTS = 24;
    private static final String JOB_NAME = "prefixflow cluster-itcase";
    private static final String PREFIX = "flink_taskmanager_job_task_operator_prefixflow_";
    private static final String SHARED = "Here is a story for a child. Read it and then tell what happens next in"
            + " a few words. Lily lived in a small blue house by the sea. Every morning she walked to the beach with"
            + " her dog and looked for shells. ";

    private static Path workDir;
    private static LocalCluster cluster;
    private static JobClient job;

    @BeforeAll
    static void startClusterAndJob() throws Exception {
        workDir = Files.createTempDirectory("prefixflow-cluster-itcase");
        cluster = LocalCluster.start(workDir, ClusterSpec.withFreePorts(1, true, TestClusters.userClasspath()),
                System.err::println);
        cluster.createTopic("prompts", 2);
        cluster.createTopic("completions", 2);
        cluster.createTopic("dead-letters", 1);
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(InferenceRequest.newBuilder().setId("r" + i).setTenant("t")
                    .setPrompt(SHARED + "Part " + i + ":").setMaxTokens(6).setTemperature(0f).setSeed((long) i).setCreatedAt(Instant.EPOCH).build());
        }
        PromptProducer.send(cluster.clientProperties(), "prompts", requests, Duration.ZERO);
        Configuration conf = KafkaInferenceJob.defaults();
        conf.set(KafkaJobOptions.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        conf.set(KafkaJobOptions.INPUT_TOPIC, "prompts");
        conf.set(KafkaJobOptions.OUTPUT_TOPIC, "completions");
        conf.set(KafkaJobOptions.DEAD_LETTER_TOPIC, "dead-letters");
        conf.set(KafkaJobOptions.GROUP_ID, "itcase");
        conf.set(InferenceOptions.KV_CACHE_SIZE, MemorySize.ofMebiBytes(16));
        job = ClusterJobs.submit(cluster.jobManagerAddress(), conf, 2, JOB_NAME);
        OutputTopic output = new OutputTopic(cluster.clientProperties(), "completions");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (output.committedDistinct() < REQUESTS) {
            String state = cluster.rest().jobState(job.getJobID().toString());
            if (System.nanoTime() > deadline || state.equals("FAILED") || state.equals("RESTARTING")) {
                fail("job " + state + " before all " + REQUESTS + " completions; logs in " + workDir.resolve("logs"));
            }
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.stop();
            assertTrue(cluster.liveTaskManagers().isEmpty(), "stop leaves no TaskManager");
        }
    }

    @Test
    void statusShowsEveryProcessAndTheRunningJob() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("cluster", "status", "--work-dir", workDir.toString());
        String text = out.toString();
        assertEquals(0, exit, text);
        for (String role : List.of("kafka", "jobmanager", "taskmanager-1")) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(role) && l.contains("running")), role + ":\n" + text);
        }
        assertTrue(text.contains("job " + job.getJobID() + " RUNNING"), text);
    }

    @Test
    void prometheusHasEveryEngineMetricWithAPlausibleValue() throws Exception {
        Map<String, List<Double>> m = scrape(cluster.spec().ports().taskManagerMetricsPort(1));
        assertEquals(REQUESTS, sum(m, "finishedRequests"), "finished requests over both engines");
        assertEquals(REQUESTS, sum(m, "routedRequests"), "requests routed to the engines");
        double decisions = 0;
        for (String reason : List.of("prefixHit", "overload", "cold", "fingerprint", "roundRobin")) {
            decisions += sum(m, "routing_" + reason);
        }
        assertEquals(REQUESTS, decisions, "one routing decision per request");
        assertTrue(sum(m, "routing_expectedCachedTokens") >= 0);
        assertTrue(sum(m, "routedPromptTokens") >= REQUESTS * 32, "every prompt is longer than 32 tokens");
        assertTrue(sum(m, "prefixHitTokens") > 0, "the shared prefix is hit");
        assertTrue(sum(m, "prefixLookupTokens") >= sum(m, "prefixHitTokens"));
        assertTrue(values(m, "prefixHitRate").stream().allMatch(v -> v >= 0 && v <= 1));
        assertTrue(values(m, "prefixHitRate").stream().anyMatch(v -> v > 0));
        assertEquals(0, sum(m, "waitingRequests"), "idle after the last completion");
        assertEquals(0, sum(m, "runningRequests"));
        assertEquals(0, sum(m, "inFlightRequests"));
        assertTrue(sum(m, "peakUsedKvBlocks") > 0);
        assertTrue(sum(m, "cachedKvBlocks") > 0, "blocks stay cached after their requests end");
        assertTrue(sum(m, "freeKvBlocks") > 0);
        assertTrue(sum(m, "usedKvBlocks") >= 0 && sum(m, "preemptions") >= 0);
        for (String histogram : List.of("timeToFirstTokenMs", "timePerOutputTokenMs")) {
            assertTrue(sum(m, histogram + "_count") > 0, histogram + " has samples");
            assertTrue(values(m, histogram).stream().allMatch(v -> v >= 0 && v < 60_000),
                    histogram + " quantiles in [0, 60 s): " + values(m, histogram));
            assertTrue(values(m, histogram).stream().anyMatch(v -> v > 0), histogram + " not all zero");
        }
    }

    @Test
    void webUiShowsTheRunningJobAndItsOperators() throws Exception {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (chromium == null) {
            String message = "chromium is not installed (apt-get install -y chromium): the web UI test cannot run";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        String url = "http://" + cluster.jobManagerAddress() + "/#/job/running/" + job.getJobID() + "/overview";
        String dom = chromium(chromium, "--dump-dom", url);
        for (String expected : List.of(JOB_NAME, "RUNNING", "prompts", "completions", "dead letters")) {
            assertTrue(dom.contains(expected), "the web UI shows " + expected + "; page:\n"
                    + dom.substring(0, Math.min(dom.length(), 3000)));
        }
        Path screenshot = Path.of("target", "webui-job.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium(chromium, "--screenshot=" + screenshot, url);
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the job page");
    }

    private static String chromium(Path chromium, String action, String url) throws Exception {
        Path profile = Files.createTempDirectory(workDir, "chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1600,1000",
                "--virtual-time-budget=15000", action, url)
                .redirectError(workDir.resolve("logs/chromium.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        assertEquals(0, p.exitValue(), "chromium exit status; see " + workDir.resolve("logs/chromium.err"));
        return out;
    }

    private static Map<String, List<Double>> scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, List<Double>> metrics = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace >= 0 ? brace : space);
            metrics.computeIfAbsent(name, k -> new ArrayList<>()).add(Double.parseDouble(line.substring(space + 1)));
        }
        return metrics;
    }

    private static List<Double> values(Map<String, List<Double>> metrics, String name) {
        List<Double> v = metrics.get(PREFIX + name);
        if (v == null || v.isEmpty()) {
            fail("metric " + PREFIX + name + " missing; prefixflow metrics scraped: " + metrics.keySet().stream()
                    .filter(k -> k.contains("prefixflow")).sorted().toList());
        }
        return v;
    }

    private static double sum(Map<String, List<Double>> metrics, String name) {
        return values(metrics, name).stream().mapToDouble(Double::doubleValue).sum();
    }
}
