package io.prefixflow.jobs.cli;

import io.prefixflow.jobs.chaos.ChaosReport;
import io.prefixflow.jobs.chaos.ChaosRun;
import io.prefixflow.jobs.chaos.ChaosSettings;
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
 * {@code chaos}: the job on a real local cluster while TaskManagers (and optionally the broker) are killed;
 * prints one JSON line ({@link ChaosReport}) and exits 1 when anything was lost, duplicated or changed.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Kill TaskManagers (and the broker) under the running job on a local cluster; print one JSON"
                + " line of lost, duplicated and mismatched completions; exit 1 if any.")
final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--requests", paramLabel = "N", description = "Requests (default 2000).")
    int requests = 2000;

    @Option(names = "--taskmanager-kills", paramLabel = "N", description = "TaskManagers to kill -9 (default 3).")
    int taskManagerKills = 3;

    @Option(names = "--kill-broker", description = "Also kill -9 and restart the Kafka broker once.")
    boolean killBroker;

    @Option(names = "--delivery", paramLabel = "exactly-once|at-least-once",
            description = "The sinks' guarantee (default exactly-once); at-least-once is the negative control.")
    String delivery = "exactly-once";

    @Option(names = "--work-dir", paramLabel = "DIR", description = "The cluster's work directory (default: a new"
            + " temporary one, kept for its logs).")
    Path workDir;

    @Option(names = "--seed", paramLabel = "N", description = "Which TaskManagers die and when (default 42).")
    long seed = 42;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest each run may take (default 30m).")
    Duration timeout = Duration.ofMinutes(30);

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = workDir != null ? workDir : Files.createTempDirectory("prefixflow-chaos");
        ChaosSettings settings = new ChaosSettings(requests, taskManagerKills, killBroker,
                RunCommand.parseDelivery(delivery), dir, seed, timeout, List.of());
        ChaosReport report = new ChaosRun(settings, line -> {
            err.println(line);
            err.flush();
        }).run();
        spec.commandLine().getOut().println(report.toJson());
        spec.commandLine().getOut().flush();
        return report.clean() ? 0 : 1;
    }
}
