package io.prefixflow.jobs.cli;

import io.prefixflow.jobs.bench.Arrivals;
import io.prefixflow.jobs.bench.BenchMetrics;
import io.prefixflow.jobs.bench.BenchReport;
import io.prefixflow.jobs.bench.BenchRequest;
import io.prefixflow.jobs.bench.DatasetFile;
import io.prefixflow.jobs.bench.JitSettle;
import io.prefixflow.jobs.bench.LengthSpec;
import io.prefixflow.jobs.bench.RunMetrics;
import io.prefixflow.jobs.bench.RunResult;
import io.prefixflow.jobs.bench.Slo;
import io.prefixflow.jobs.bench.SyntheticText;
import io.prefixflow.jobs.bench.WorkloadSpec;
import io.prefixflow.jobs.bench.WorkloadSpec.Workload;
import io.prefixflow.jobs.bench.Workloads;
import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.runtime.model.DummyShape;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.tokenizer.ByteTokenizer;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: serving benchmarks of the whole pipeline (prompts to Kafka, completions and chunks back),
 * on the in-process stack ({@link LocalStack}) or on an existing deployment ({@code --bootstrap-servers}).
 * Every combination of {@code --compare} and {@code --sweep-rate} is one run on a fresh job; each run's
 * configuration and metrics ({@link RunMetrics}) go to {@code --output} ({@link BenchReport}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark the pipeline end to end: synthetic workloads or your prompts, Poisson or",
            "all-at-once arrivals; request and token throughput, TTFT, TPOT, inter-token and end-to-end latency",
            "(mean, p50, p90, p99; percentiles interpolate linearly between closest ranks), goodput under an",
            "SLO, prefix-cache hit rate, peak KV blocks. Lengths take a distribution: fixed, uniform:R",
            "(uniform on [L(1-R), L(1+R)]) or normal:R (standard deviation R*L). Workload defaults",
            "(input / output / shared tokens, groups): generation 32/256/-/-, summarization 768/32/-/-,",
            "qa 32/32/512/4 documents, conversation 48/48/-/8 sessions, shared-prefix 32/16/256/4 groups."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workload", paramLabel = "NAME", description = "generation, summarization, qa, conversation,"
            + " shared-prefix, documents (default shared-prefix).")
    String workload = "shared-prefix";

    @Option(names = "--dataset", paramLabel = "FILE.jsonl",
            description = "Your prompts instead of a synthetic workload: lines {\"prompt\": ..., \"max_tokens\": N}.")
    Path dataset;

    @Option(names = "--input-len", paramLabel = "TOKENS", description = "Per-request input: the prompt, question"
            + " (qa, shared-prefix) or new user message (conversation).")
    Integer inputLen;

    @Option(names = "--input-len-dist", paramLabel = "DIST", description = "fixed (default), uniform:R, normal:R.")
    String inputLenDist = "fixed";

    @Option(names = "--output-len", paramLabel = "TOKENS", description = "Tokens to generate (max_tokens).")
    Integer outputLen;

    @Option(names = "--output-len-dist", paramLabel = "DIST", description = "fixed (default), uniform:R, normal:R.")
    String outputLenDist = "fixed";

    @Option(names = {"--shared-len", "--system-prompt-len", "--doc-len"}, paramLabel = "TOKENS",
            description = "Shared part: system prompt (shared-prefix) or document (qa, documents).")
    Integer sharedLen;

    @Option(names = "--shared-len-dist", paramLabel = "DIST", description = "fixed (default), uniform:R, normal:R.")
    String sharedLenDist = "fixed";

    @Option(names = {"--num-groups", "--num-docs", "--num-sessions"}, paramLabel = "N",
            description = "Groups (shared-prefix), documents (qa, documents) or sessions (conversation).")
    Integer numGroups;

    @Option(names = "--system-len", paramLabel = "TOKENS",
            description = "documents: the system prompt in front of every document (default 384).")
    int systemLen = WorkloadSpec.DEFAULT_SYSTEM_LEN;

    @Option(names = "--zipf", paramLabel = "S",
            description = "documents: popularity skew, document d drawn with weight 1/(d+1)^S (default 1.1).")
    double zipf = WorkloadSpec.DEFAULT_ZIPF;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of prompts and arrivals (default 0).")
    long seed;

    @Option(names = "--num-requests", paramLabel = "N", description = "Requests per run (default 64).")
    Integer numRequests;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Instead of --num-requests: the Poisson arrivals within this many seconds.")
    Double durationS;

    @Option(names = "--request-rate", paramLabel = "R|inf",
            description = "Requests per second, Poisson (latency-critical), or inf: all at once (default inf).")
    String requestRate = "inf";

    @Option(names = "--sweep-rate", paramLabel = "R1,R2,...", split = ",",
            description = "Run once per rate (inf allowed); overrides --request-rate.")
    List<String> sweepRates;

    @Option(names = "--compare", paramLabel = "routing,prefix-cache", split = ",",
            description = "Run every combination: routing = cache-aware vs prefix vs round-robin, prefix-cache = on vs"
                    + " off.")
    List<String> compare = new ArrayList<>();

    @Option(names = "--parallelism", paramLabel = "N", description = "Inference subtasks (default 2).")
    int parallelism = 2;

    @Option(names = "--slo", paramLabel = "ttft:MS,tpot:MS", description = "Objectives of goodput (default none).")
    String slo;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Most time one run may take before bench fails (default 15m).")
    Duration timeout = Duration.ofMinutes(15);

    @Option(names = "--warmup-requests", paramLabel = "N",
            description = "Requests of the workload's shape (another seed, so no shared prefix) sent and awaited"
                    + " before each measured run, so the job is up and the JIT warm (default 8; with --dataset,"
                    + " short fixed prompts).")
    int warmupRequests = 8;

    @Option(names = "--warmup-run", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With several runs: one unreported run of each routing and cache variant (at the first"
                    + " rate) on another seed's prompts first, so that no variant pays for the JVM's warm-up of its"
                    + " own code (default on; --no-warmup-run).")
    boolean warmupRun = true;

    @Option(names = "--output", paramLabel = "DIR", description = "Where results go (default bench-results).")
    Path output = Path.of("bench-results");

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Bench a running deployment through this Kafka instead of the in-process stack.")
    String bootstrapServers;

    @Option(names = "--input-topic", paramLabel = "TOPIC", description = "With --bootstrap-servers (default prompts).")
    String inputTopic = "prompts";

    @Option(names = "--output-topic", paramLabel = "TOPIC",
            description = "With --bootstrap-servers (default completions).")
    String outputTopic = "completions";

    @Option(names = "--chunk-topic", paramLabel = "TOPIC",
            description = "With --bootstrap-servers (default completion-chunks).")
    String chunkTopic = "completion-chunks";

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Fail when Kafka (with --bootstrap-servers) or the --endpoint of --backend openai does not"
                    + " answer within this (default 15s).")
    Duration connectTimeout = Duration.ofSeconds(15);

    @Mixin
    InferenceOptionsMixin inference;

    /** One run's variant: routing and prefix caching, and the request rate. */
    record Variant(RoutingMode routing, boolean prefixCache, double ratePerS) {
        String name() {
            return routing.cliName() + "-routing_cache-"
                    + (prefixCache ? "on" : "off") + "_rate-" + rateText(ratePerS);
        }
    }

    /**
     * One run of each routing and cache combination, at the first rate.
     *
     * <p>NOTE: why each, not only the first. With one warm-up run of the first variant, the variant measured first
     * still compiled its own code in its measured run (per-thread CPU: 1.4 s of JIT in a 7-second cache-aware run
     * against 0.5 s in the round-robin one after it), and {@code --compare routing} measured cache-aware 0.88 of
     * round-robin in its first round, 0.96 and 1.04 in the two after.
     */
    static List<Variant> warmUpVariants(List<Variant> variants) {
        Map<String, Variant> distinct = new LinkedHashMap<>();
        for (Variant v : variants) {
            distinct.putIfAbsent(v.routing() + "/" + v.prefixCache(), v);
        }
        return List.copyOf(distinct.values());
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be >= 1, got " + parallelism);
        }
        Slo objectives = slo == null ? Slo.NONE : Slo.parse(slo);
        Configuration base = new Configuration();
        inference.applyTo(base);
        InferenceSettings settings = InferenceSettings.from(base);
        List<Variant> variants = variants(settings.routing().mode());
        if (settings.isRemote()) {
            if (!compare.isEmpty()) {
                throw new IllegalArgumentException("--compare routing,prefix-cache compares the in-operator engine's"
                        + " settings; with --backend openai the server routes and caches itself");
            }
            err.println("Probing the OpenAI-compatible server at " + settings.remote().endpoint() + " ...");
            EndpointProbe.check(settings.remote().endpoint(), connectTimeout);
        }
        WorkloadSpec workloadSpec = workloadSpec();
        Tokenizer tokenizer = tokenizer(settings);
        Map<String, Object> workloadConfig = describeWorkload(workloadSpec);
        err.println("bench: " + workloadConfig + ", " + variants.size() + " run(s)");
        List<RunResult> results = new ArrayList<>();
        if (bootstrapServers != null) {
            if (variants.size() > 1 || !compare.isEmpty()) {
                throw new IllegalArgumentException("--compare needs the in-process stack; with --bootstrap-servers"
                        + " the deployment's configuration is fixed (use --sweep-rate only with one rate)");
            }
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            checkReachable(props);
            Variant v = variants.get(0);
            results.add(measure(v, props, new LocalStack.Topics(inputTopic, outputTopic, "", chunkTopic),
                    workloadSpec, tokenizer, objectives, () -> { }, workloadConfig));
        } else {
            err.println("Starting Kafka (in-process) ...");
            try (LocalStack stack = LocalStack.start()) {
                int index = 0;
                if (warmupRun && variants.size() > 1) {
                    int warmUpIndex = variants.size();
                    for (Variant v : warmUpVariants(variants)) {
                        RunResult discarded = runEmbedded(stack, v, warmUpIndex++, base, otherSeed(workloadSpec),
                                tokenizer, objectives, workloadConfig);
                        err.printf(Locale.ROOT, "warm-up run of %s (not reported): %.3f req/s%n", v.name(),
                                discarded.metrics().requestThroughput());
                    }
                }
                for (Variant v : variants) {
                    results.add(runEmbedded(stack, v, index++, base, workloadSpec, tokenizer, objectives,
                            workloadConfig));
                    RunMetrics m = results.get(results.size() - 1).metrics();
                    err.printf(Locale.ROOT, "%s: %.3f req/s, %.1f output tok/s, TTFT p50 %.0f ms, hit rate %.3f%n",
                            results.get(results.size() - 1).name(), m.requestThroughput(),
                            m.outputTokenThroughput(), m.ttftMs().p50(),
                            m.prefixCacheHitRate());
                }
            }
        }
        BenchReport.write(output, results);
        out.println(BenchReport.table(results));
        out.println("Results in " + output.toAbsolutePath());
        out.flush();
        return 0;
    }

    private RunResult runEmbedded(LocalStack stack, Variant v, int index, Configuration base, WorkloadSpec workloadSpec,
                                  Tokenizer tokenizer, Slo objectives, Map<String, Object> workloadConfig)
            throws Exception {
        LocalStack.Topics topics = LocalStack.Topics.withPrefix("run" + index + "-");
        stack.createTopics(topics, parallelism);
        Configuration conf = stack.jobConfiguration(topics, "prefixflow-bench-" + index, true);
        conf.addAll(base);
        conf.set(InferenceOptions.ROUTING_MODE, v.routing());
        conf.set(InferenceOptions.PREFIX_CACHING, v.prefixCache());
        conf.setString("metrics.reporter." + KvBlocksReporter.NAME + ".factory.class",
                KvBlocksReporter.Factory.class.getName());
        KvBlocksReporter.reset();
        JobClient job = LocalStack.submit(conf, parallelism, "prefixflow bench " + v.name());
        try {
            BenchRun.Liveness alive = () -> LocalStack.failIfEnded(job);
            List<BenchRequest> warmUp = warmUpRequests(index, workloadSpec, tokenizer);
            if (!warmUp.isEmpty()) {
                BenchRun.execute(stack.clientProperties(), topics, warmUp, new double[warmUp.size()], timeout, alive,
                        "warm-up");
            }
            spec.commandLine().getErr().println(JitSettle.awaitBeforeMeasuring().summary());
            return measure(v, stack.clientProperties(), topics, workloadSpec, tokenizer, objectives, alive,
                    workloadConfig);
        } catch (LocalStack.JobFailedException e) {
            throw new IllegalStateException(v.name() + ": the job failed: " + e.getMessage(), e);
        } finally {
            LocalStack.cancel(job);
        }
    }

    /**
     * Requests of the workload's own shape but another seed (so they share no prefix with the measured ones):
     * NOTE: tiny warm-up prompts left the JIT and the heap cold for the first run's long prompts and big
     * batches, which then measured up to 20 % slower than the same variant run again later.
     */
    private List<BenchRequest> warmUpRequests(int runIndex, WorkloadSpec workloadSpec, Tokenizer tokenizer) {
        List<BenchRequest> out = new ArrayList<>();
        if (dataset != null || warmupRequests == 0) {
            for (int i = 0; i < warmupRequests; i++) {
                out.add(new BenchRequest("warm-up-" + runIndex + "-" + i, "warm up request " + i, 4, null));
            }
            return out;
        }
        for (BenchRequest r : Workloads.generate(otherSeed(workloadSpec), warmupRequests,
                new SyntheticText(tokenizer))) {
            out.add(new BenchRequest("warm-up-" + runIndex + "-" + r.id(), r.prompt(), r.maxTokens(),
                    r.cacheKey() == null ? null : "warm-up-" + r.cacheKey()));
        }
        return out;
    }

    /** The same workload with another seed: same shapes, no prompt or prefix in common. */
    private static WorkloadSpec otherSeed(WorkloadSpec w) {
        return new WorkloadSpec(w.kind(), w.inputLen(), w.outputLen(), w.sharedLen(), w.numGroups(),
                w.seed() + 1_000_003, w.systemLen(), w.zipfExponent());
    }

    private RunResult measure(Variant v, Properties clientProperties, LocalStack.Topics topics,
                              WorkloadSpec workloadSpec, Tokenizer tokenizer, Slo objectives, BenchRun.Liveness alive,
                              Map<String, Object> workloadConfig) throws Exception {
        double[] arrivals = durationS != null ? Arrivals.ofDuration(durationS, v.ratePerS(), seed)
                : Arrivals.ofCount(numRequests == null ? 64 : numRequests, v.ratePerS(), seed);
        List<BenchRequest> requests = dataset != null
                ? DatasetFile.read(dataset, arrivals.length, outputLen == null ? 128 : outputLen)
                : Workloads.generate(workloadSpec, arrivals.length, new SyntheticText(tokenizer));
        BenchRun.Result r = BenchRun.execute(clientProperties, topics, requests, arrivals, timeout, alive, v.name());
        RunMetrics metrics = BenchMetrics.compute(r.samples(), r.durationS(), objectives,
                bootstrapServers == null ? parallelism : 0);
        long peak = bootstrapServers == null ? KvBlocksReporter.sumOfPeaks() : -1;
        Map<String, Object> config = new LinkedHashMap<>(workloadConfig);
        if (!inference.isOpenAi()) {
            config.put("routing", v.routing().cliName());
            config.put("prefix_cache", v.prefixCache());
        }
        config.put("request_rate", rateText(v.ratePerS()));
        config.put("num_requests", requests.size());
        config.put("parallelism", bootstrapServers == null ? parallelism : null);
        if (inference.isOpenAi()) {
            config.put("backend", "openai");
            config.put("endpoint", inference.endpoint);
            config.put("remote_model", inference.remoteModel);
        } else {
            config.put("backend", inference.backend == null ? "cpu" : inference.backend);
        }
        config.put("model", inference.model == null ? ModelSpecs.BUILTIN_STORIES : inference.model);
        config.put("slo", slo);
        config.put("target", bootstrapServers == null ? "in-process" : bootstrapServers);
        String name = inference.isOpenAi() ? "openai_rate-" + rateText(v.ratePerS()) : v.name();
        return new RunResult(name, config, metrics, inference.isOpenAi() ? -1 : peak);
    }

    private List<Variant> variants(RoutingMode defaultRouting) {
        boolean routing = false;
        boolean cache = false;
        for (String c : compare) {
            switch (c.strip()) {
                case "routing" -> routing = true;
                case "prefix-cache" -> cache = true;
                default -> throw new IllegalArgumentException("--compare " + c + ": expected routing or prefix-cache");
            }
        }
        List<Double> rates = new ArrayList<>();
        for (String r : sweepRates == null ? List.of(requestRate) : sweepRates) {
            rates.add(parseRate(sweepRates == null ? "--request-rate" : "--sweep-rate", r));
        }
        boolean defaultCache = !inference.noPrefixCache;
        List<Variant> out = new ArrayList<>();
        for (double rate : rates) {
            for (RoutingMode m : routing ? List.of(RoutingMode.values()) : List.of(defaultRouting)) {
                for (boolean on : cache ? List.of(true, false) : List.of(defaultCache)) {
                    out.add(new Variant(m, on, rate));
                }
            }
        }
        return out;
    }

    private WorkloadSpec workloadSpec() {
        Workload w = Workload.parse(workload);
        int groups = numGroups == null ? w.defaultGroups : numGroups;
        int shared = sharedLen == null ? Math.max(1, w.defaultSharedLen) : sharedLen;
        return new WorkloadSpec(w,
                LengthSpec.parse("--input-len-dist", positive("--input-len", inputLen, w.defaultInputLen), inputLenDist),
                LengthSpec.parse("--output-len-dist", positive("--output-len", outputLen, w.defaultOutputLen),
                        outputLenDist),
                LengthSpec.parse("--shared-len-dist", positive("--shared-len", shared, shared), sharedLenDist),
                groups, seed, systemLen, zipf);
    }

    private Map<String, Object> describeWorkload(WorkloadSpec w) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (dataset != null) {
            c.put("workload", "dataset");
            c.put("dataset", dataset.toString());
            return c;
        }
        c.put("workload", w.kind().cliName());
        c.put("input_len", w.inputLen().mean());
        c.put("input_len_dist", inputLenDist);
        c.put("output_len", w.outputLen().mean());
        c.put("output_len_dist", outputLenDist);
        if (w.kind().defaultSharedLen > 0) {
            c.put("shared_len", w.sharedLen().mean());
            c.put("shared_len_dist", sharedLenDist);
        }
        if (w.kind().defaultGroups > 1) {
            c.put("num_groups", w.numGroups());
        }
        if (w.kind() == Workload.DOCUMENTS) {
            c.put("system_len", w.systemLen());
            c.put("zipf", w.zipfExponent());
        }
        c.put("seed", seed);
        return c;
    }

    private static int positive(String option, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + v);
        }
        return v;
    }

    /** The model's tokenizer, without loading a dummy model's weights. */
    private static Tokenizer tokenizer(InferenceSettings settings) {
        String model = settings.model();
        if (model.startsWith(ModelLoader.DUMMY_PREFIX) && settings.tokenizer() == null) {
            int vocab = DummyShape.byName(model.substring(ModelLoader.DUMMY_PREFIX.length())).config().vocabSize();
            return vocab < ByteTokenizer.MIN_VOCAB_SIZE ? null : new ByteTokenizer(vocab);
        }
        return ModelSpecs.load(settings).tokenizer();
    }

    private void checkReachable(Properties props) {
        Properties admin = new Properties();
        admin.putAll(props);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        Admin client = Admin.create(admin);
        try {
            client.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach Kafka at --bootstrap-servers " + bootstrapServers
                    + " within --connect-timeout " + connectTimeout.toSeconds() + " s ("
                    + LocalStack.rootMessage(e) + ")");
        } finally {
            client.close(Duration.ZERO);
        }
    }

    private static double parseRate(String option, String text) {
        if (text.strip().equalsIgnoreCase("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double r = Double.parseDouble(text);
            if (r > 0 && Double.isFinite(r)) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + text + ": expected a rate > 0 in requests/s or inf");
    }

    static String rateText(double ratePerS) {
        return Double.isInfinite(ratePerS) ? "inf" : String.format(Locale.ROOT, "%g", ratePerS).replaceAll("\\.?0+$", "");
    }
}
