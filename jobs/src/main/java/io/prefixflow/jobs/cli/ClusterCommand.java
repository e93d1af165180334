package io.prefixflow.jobs.cli;

import io.prefixflow.jobs.cluster.ClusterPorts;
import io.prefixflow.jobs.cluster.ClusterProcess;
import io.prefixflow.jobs.cluster.ClusterSpec;
import io.prefixflow.jobs.cluster.FlinkRestClient;
import io.prefixflow.jobs.cluster.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cluster start|status|stop}: a Kafka broker, a Flink JobManager and TaskManagers on this machine, each
 * its own process ({@link LocalCluster}).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, inspect or stop a real Flink cluster and Kafka broker on this machine"
                + " (separate processes).",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Status.class, ClusterCommand.Stop.class})
final class ClusterCommand {
    /** Options every subcommand takes. */
    static final class WorkDir {
        @Option(names = "--work-dir", paramLabel = "DIR", description = "Configuration, data, logs and pid files"
                + " (default ./prefixflow-cluster).")
        Path workDir = Path.of("prefixflow-cluster");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a KRaft Kafka broker, a JobManager (REST API, web UI) and TaskManagers; returns once"
                    + " all are up. They keep running after this command exits.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        WorkDir dir;

        @Option(names = "--task-managers", paramLabel = "N", description = "TaskManagers, 2 slots each (default 2).")
        int taskManagers = 2;

        @Option(names = "--metrics-port", paramLabel = "PORT", description = "The JobManager's Prometheus endpoint;"
                + " TaskManager n serves on PORT+n. Default: a free range; 0: no metrics reporter.")
        Integer metricsPort;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            ClusterSpec clusterSpec = ClusterSpec.withFreePorts(taskManagers, metricsPort == null || metricsPort != 0,
                    List.of());
            if (metricsPort != null && metricsPort != 0) {
                ClusterPorts p = clusterSpec.ports();
                clusterSpec = new ClusterSpec(new ClusterPorts(p.kafkaPort(), p.kafkaControllerPort(), p.restPort(),
                        p.rpcPort(), metricsPort), clusterSpec.numTaskManagers(), clusterSpec.slotsPerTaskManager(),
                        clusterSpec.jobManagerMemoryMb(), clusterSpec.taskManagerMemoryMb(), List.of());
            }
            LocalCluster cluster = LocalCluster.start(dir.workDir, clusterSpec, line -> {
                err.println(line);
                err.flush();
            });
            printStatus(cluster, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each process with its pid, port and whether it runs; the jobs and their states."
                    + " Exits 1 when a process is down.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        WorkDir dir;

        @Override
        public Integer call() throws Exception {
            LocalCluster cluster = LocalCluster.attach(dir.workDir, line -> { });
            return printStatus(cluster, spec.commandLine().getOut()) ? 0 : 1;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop every process of the cluster (TERM, then KILL after 20 s); keeps logs and data.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        WorkDir dir;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            LocalCluster.attach(dir.workDir, line -> {
                err.println(line);
                err.flush();
            }).stop();
            return 0;
        }
    }

    /** Prints the processes and jobs; returns whether every process runs. */
    static boolean printStatus(LocalCluster cluster, PrintWriter out) throws Exception {
        boolean allAlive = true;
        List<ClusterProcess> processes = cluster.processes();
        out.printf("work dir   %s%n", cluster.layout().workDir());
        for (ClusterProcess p : processes) {
            String port = switch (p.role()) {
                case ClusterProcess.KAFKA -> "kafka " + p.port();
                case ClusterProcess.JOB_MANAGER -> "rest " + p.port() + " (web UI http://127.0.0.1:" + p.port() + ")"
                        + (cluster.spec().ports().metricsEnabled() ? ", metrics " + cluster.spec().ports().metricsPort()
                        : "");
                default -> p.port() == 0 ? "-" : "metrics " + p.port();
            };
            out.printf("%-15s pid %-8d %-8s %s%n", p.role(), p.pid(), p.alive() ? "running" : "DOWN", port);
            allAlive &= p.alive();
        }
        if (processes.isEmpty()) {
            out.println("no processes (stopped)");
            allAlive = false;
        }
        FlinkRestClient rest = cluster.rest();
        if (rest.isUp()) {
            List<FlinkRestClient.JobOverview> jobs = rest.jobs();
            if (jobs.isEmpty()) {
                out.println("jobs       none");
            }
            for (FlinkRestClient.JobOverview job : jobs) {
                out.printf("job %s %-10s %s%n", job.id(), job.state(), job.name());
            }
        }
        out.flush();
        return allAlive;
    }
}
