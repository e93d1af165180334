package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.jobs.routingsim.CostModel;
import io.prefixflow.jobs.routingsim.ModeResult;
import io.prefixflow.jobs.routingsim.RoutingSimReport;
import io.prefixflow.jobs.routingsim.RoutingSimulator;
import io.prefixflow.jobs.routingsim.SimSettings;
import io.prefixflow.jobs.routingsim.SimWorkload;
import io.prefixflow.operator.config.RoutingSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-routing}: the routing simulator ({@link io.prefixflow.jobs.routingsim}). Replays synthetic
 * workloads through the job's real routers and one real KV cache manager and scheduler per simulated subtask,
 * with step times from a {@code bench-engine} calibration, and compares the routing modes with the ideal.
 */
@Command(name = "bench-routing", mixinStandardHelpOptions = true,
        description = "Simulate cache-aware, prefix and round-robin routing at many subtasks against an ideal.")
final class BenchRoutingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "bench-engine --json output to take step times from (default: measure now, briefly,"
                    + " with dummy:llama-110m on 1 thread).")
    Path calibration;

    @Option(names = "--parallelism", split = ",", paramLabel = "P[,P...]",
            description = "Inference (= prepare) parallelisms (default 2,8,32,128).")
    List<Integer> parallelisms = List.of(2, 8, 32, 128);

    @Option(names = "--workloads", split = ",", paramLabel = "W[,W...]",
            description = "hot-system-prompt, zipf-documents, conversations, mix (default: these four); qa.")
    List<String> workloads = List.of("hot-system-prompt", "zipf-documents", "conversations", "mix");

    @Option(names = "--requests-per-subtask", paramLabel = "N", description = "Requests per run = p * N (default 40).")
    int requestsPerSubtask = 40;

    @Option(names = "--kv-blocks-per-subtask", paramLabel = "N",
            description = "KV blocks per subtask (default 1280: 20 documents of 1024 tokens in 16-token blocks).")
    int kvBlocksPerSubtask = 1280;

    @Option(names = "--arrival", paramLabel = "poisson|burst",
            description = "poisson: at --load times the ideal's capacity (default); burst: all at t = 0.")
    String arrival = "poisson";

    @Option(names = "--load", paramLabel = "F",
            description = "Poisson rate as a fraction of the ideal's burst throughput (default 0.9).")
    double load = 0.9;

    @Option(names = "--seed", paramLabel = "N", description = "Seeds workloads and arrivals (default 42).")
    long seed = 42;

    @Option(names = "--prepare-parallelism", paramLabel = "R",
            description = "Routers (prepare subtasks), each routing every R-th request on its own estimate"
                    + " (default: the inference parallelism, as the job runs).")
    int prepareParallelism;

    @Option(names = "--block-size", paramLabel = "TOKENS", description = "Tokens per KV block (default 16).")
    int blockSize = 16;

    @Option(names = "--max-running", paramLabel = "N", description = "Running sequences per engine (default 64).")
    int maxRunning = 64;

    @Option(names = "--max-batched-tokens", paramLabel = "N", description = "Tokens per step (default 512).")
    int maxBatchedTokens = 512;

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "A prefixflow.routing.* option, e.g. -Dprefixflow.routing.balance-rel-threshold=1.2.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--output", paramLabel = "DIR", description = "Write DIR/routing-sim.json and PNG charts.")
    Path output;

    @Option(names = "--json", description = "Print the JSON document instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode calibrationJson = calibration != null ? readCalibration(mapper) : measureCalibration(mapper, err);
        CostModel cost = CostModel.fromBenchEngine(calibrationJson);
        SimSettings settings = new SimSettings(parallelisms, workloads.stream().map(SimWorkload::parse).toList(),
                requestsPerSubtask, kvBlocksPerSubtask, blockSize, maxRunning, maxBatchedTokens, arrivalLoad(),
                seed, prepareParallelism, routingSettings());
        List<ModeResult> results = new RoutingSimulator(settings, cost, err).run();
        ObjectNode machine = machine(mapper, calibration == null ? "measured in-process by bench-routing"
                : calibration.toString());
        ObjectNode document = RoutingSimReport.json(mapper, commandLine(), machine, calibrationJson, settings,
                results);
        PrintWriter out = spec.commandLine().getOut();
        if (output != null) {
            List<String> charts = RoutingSimReport.write(output, mapper, document, results);
            err.println("wrote " + output.resolve("routing-sim.json") + " and " + String.join(", ", charts));
        }
        out.print(json ? mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n"
                : RoutingSimReport.table(results));
        out.flush();
        return 0;
    }

    private double arrivalLoad() {
        return switch (arrival.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "poisson" -> load;
            case "burst" -> Double.POSITIVE_INFINITY;
            default -> throw new IllegalArgumentException("--arrival " + arrival + ": expected poisson or burst");
        };
    }

    private RoutingSettings routingSettings() {
        for (String key : properties.keySet()) {
            if (!key.startsWith("prefixflow.routing.")) {
                throw new IllegalArgumentException("-D" + key + ": bench-routing only takes prefixflow.routing.*"
                        + " options");
            }
        }
        return RoutingSettings.from(Configuration.fromMap(properties));
    }

    private JsonNode readCalibration(ObjectMapper mapper) throws IOException {
        if (!Files.isRegularFile(calibration)) {
            throw new IllegalArgumentException("--calibration " + calibration + ": no such file");
        }
        return mapper.readTree(calibration.toFile());
    }

    /** A short bench-engine run: dummy:llama-110m, 1 thread (the job's per-subtask default). */
    private JsonNode measureCalibration(ObjectMapper mapper, PrintWriter err) throws IOException {
        err.println("no --calibration: measuring one with bench-engine (dummy:llama-110m, 1 thread)...");
        StringWriter captured = new StringWriter();
        CommandLine engine = Main.configure(new CommandLine(new BenchEngineCommand()));
        engine.setOut(new PrintWriter(captured));
        engine.setErr(err);
        int exit = engine.execute("--model", "dummy:llama-110m", "--threads", "1", "--prompt-tokens", "256",
                "--decode-tokens", "32", "--concurrency", "1,4,16,64", "--repetitions", "1", "--json");
        if (exit != 0) {
            throw new IllegalStateException("the calibration run of bench-engine failed (exit " + exit + ")");
        }
        JsonNode measured = mapper.readTree(captured.toString());
        err.println("calibration: " + measured);
        return measured;
    }

    private static ObjectNode machine(ObjectMapper mapper, String calibrationSource) {
        ObjectNode machine = mapper.createObjectNode();
        machine.put("cpu_model", cpuModel());
        machine.put("vcpus", Runtime.getRuntime().availableProcessors());
        machine.put("os_arch", System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.version"));
        machine.put("calibration_source", calibrationSource);
        return machine;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    private String commandLine() {
        // NOTE: originalArgs are the whole command line's, the subcommand's name included.
        List<String> args = new ArrayList<>(List.of("java -jar prefixflow.jar"));
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        return args.stream().collect(Collectors.joining(" "));
    }
}
