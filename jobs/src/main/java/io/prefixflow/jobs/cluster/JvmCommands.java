package io.prefixflow.jobs.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The {@code java} command lines of a local cluster's processes, as Flink's and Kafka's scripts would build
 * them: the memory flags Flink derives from its configuration (what {@code BashJavaUtils} prints for the
 * scripts), the {@code --add-opens}/{@code --add-exports} list of Flink's default {@code env.java.opts.all},
 * the Vector API module the engine needs, and a per-process log file.
 */
final class JvmCommands {
    /** Flink 2.2's default {@code env.java.opts.all}: what its scripts add on Java 17. */
    static final List<String> FLINK_JAVA_17_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String KAFKA_MAIN = "kafka.Kafka";
    private static final String KAFKA_STORAGE_TOOL = "kafka.tools.StorageTool";

    private final ClusterLayout layout;
    private final ClusterSpec spec;
    private final ClusterClasspath classpath;

    JvmCommands(ClusterLayout layout, ClusterSpec spec, ClusterClasspath classpath) {
        this.layout = layout;
        this.spec = spec;
        this.classpath = classpath;
    }

    /** The JobManager: REST API and web UI on the REST port, Prometheus on the metrics port when on. */
    List<String> jobManager() {
        Configuration conf = flinkConfiguration();
        JobManagerProcessSpec memory = JobManagerProcessUtils.processSpecFromConfig(conf);
        List<String> cmd = flinkJvm(ClusterProcess.JOB_MANAGER,
                JobManagerProcessUtils.generateJvmParametersStr(memory, conf));
        cmd.add(JOB_MANAGER_MAIN);
        cmd.add("--configDir");
        cmd.add(layout.flinkConfDir().toString());
        cmd.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(memory)));
        return cmd;
    }

    /** TaskManager number {@code index}; its Prometheus port is {@link ClusterPorts#taskManagerMetricsPort}. */
    List<String> taskManager(int index) {
        Configuration conf = flinkConfiguration();
        TaskExecutorProcessSpec memory = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        String role = ClusterProcess.taskManager(index);
        List<String> cmd = flinkJvm(role, ProcessMemoryUtils.generateJvmParametersStr(memory));
        cmd.add(TASK_MANAGER_MAIN);
        cmd.add("--configDir");
        cmd.add(layout.flinkConfDir().toString());
        cmd.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(memory)));
        cmd.add("-D");
        cmd.add("taskmanager.resource-id=" + role);
        if (spec.ports().metricsEnabled()) {
            cmd.add("-D");
            cmd.add("metrics.reporter.prom.port=" + spec.ports().taskManagerMetricsPort(index));
        }
        return cmd;
    }

    /** The Kafka broker (KRaft, broker and controller in one). */
    List<String> kafkaBroker() {
        List<String> cmd = kafkaJvm(ClusterProcess.KAFKA, "-Xms512m", "-Xmx512m");
        cmd.add(KAFKA_MAIN);
        cmd.add(layout.kafkaProperties().toString());
        return cmd;
    }

    /** Formats the broker's log directory for {@code clusterId} (once, before the first start). */
    List<String> kafkaFormat(String clusterId) {
        List<String> cmd = kafkaJvm("kafka-format", "-Xmx256m");
        cmd.add(KAFKA_STORAGE_TOOL);
        cmd.addAll(List.of("format", "-t", clusterId, "-c", layout.kafkaProperties().toString()));
        return cmd;
    }

    private Configuration flinkConfiguration() {
        return GlobalConfiguration.loadConfiguration(layout.flinkConfDir().toString());
    }

    private List<String> flinkJvm(String role, String memoryFlags) {
        List<String> cmd = base(role);
        cmd.addAll(words(memoryFlags));
        cmd.addAll(FLINK_JAVA_17_OPTIONS);
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-Dlog4j.configurationFile=" + layout.log4jFile().toUri());
        cmd.add("-cp");
        List<String> cp = new ArrayList<>(classpath.flink());
        cp.addAll(spec.userClasspath());
        cmd.add(String.join(File.pathSeparator, cp));
        return cmd;
    }

    private List<String> kafkaJvm(String role, String... memoryFlags) {
        List<String> cmd = base(role);
        cmd.addAll(Arrays.asList(memoryFlags));
        cmd.add("-Dlog4j.configurationFile=" + layout.log4jFile().toUri());
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.kafka()));
        return cmd;
    }

    private List<String> base(String role) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-D" + PidFiles.OWNER_PROPERTY + "=" + layout.workDir());
        cmd.add("-Dprefixflow.cluster.role=" + role);
        cmd.add("-Dlog.file=" + layout.logFile(role));
        cmd.add("-XX:+UseG1GC");
        return cmd;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
