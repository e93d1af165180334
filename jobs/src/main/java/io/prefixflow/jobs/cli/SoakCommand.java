package io.prefixflow.jobs.cli;

import io.prefixflow.jobs.soak.SoakReport;
import io.prefixflow.jobs.soak.SoakRun;
import io.prefixflow.jobs.soak.SoakSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code soak}: the job on a real local cluster under a steady request rate for a long time, sampled; prints one
 * JSON line ({@link SoakReport}) with the slope of every series and exits 1 when a request was lost or the job
 * did not run to the end.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run the job on a local cluster at a steady request rate; every sample interval record heap"
                + " after GC, RSS, KV blocks, checkpoint size and p99 latency; print one JSON line of slopes per"
                + " hour; exit 1 if a request was lost or the job failed.")
final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long requests are sent (default 30m).")
    Duration duration = Duration.ofMinutes(30);

    @Option(names = "--rate", paramLabel = "R", required = true, description = "Requests per second, open loop.")
    double rate;

    @Option(names = "--sample-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time between samples (default 10s).")
    Duration sampleInterval = Duration.ofSeconds(10);

    @Option(names = "--task-managers", paramLabel = "N", description = "TaskManagers, 2 slots each (default 1).")
    int taskManagers = 1;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "The cluster's work directory (default: a new"
            + " temporary one, kept for its logs).")
    Path workDir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where samples.csv, soak.png and soak.json go"
            + " (default: the work directory).")
    Path out;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for the last completions after sending stops (default 2m).")
    Duration drainTimeout = Duration.ofMinutes(2);

    @Option(names = "--keep-cluster", description = "Leave the cluster and the job running at the end.")
    boolean keepCluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = workDir != null ? workDir : Files.createTempDirectory("prefixflow-soak");
        SoakSettings settings = new SoakSettings(duration, rate, sampleInterval, taskManagers, dir,
                out != null ? out : dir, keepCluster, drainTimeout, List.of());
        SoakReport report = new SoakRun(settings, line -> {
            err.println(line);
            err.flush();
        }).run();
        spec.commandLine().getOut().println(report.toJson());
        spec.commandLine().getOut().flush();
        return report.clean() ? 0 : 1;
    }
}
