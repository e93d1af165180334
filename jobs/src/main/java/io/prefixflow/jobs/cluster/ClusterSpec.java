package io.prefixflow.jobs.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a local cluster is made of, saved in {@code cluster.properties} so that {@code status}, {@code stop} and
 * a replacement TaskManager see the same settings as {@code start}.
 *
 * <p>Memory defaults fit a 2-core, 24 GB machine shared with other work: a 1 GB JobManager, TaskManagers of
 * 1.5 GB (128 MB managed memory for RocksDB, the rest mostly task heap for the engines' KV caches), a broker
 * of 512 MB heap.
 *
 * @param ports                the fixed ports
 * @param numTaskManagers      TaskManagers started by {@code start}
 * @param slotsPerTaskManager  task slots of each TaskManager
 * @param jobManagerMemoryMb   {@code jobmanager.memory.process.size} in MiB
 * @param taskManagerMemoryMb  {@code taskmanager.memory.process.size} in MiB
 * @param userClasspath        extra classpath entries of the Flink processes (like Flink's {@code lib/}), e.g.
 *                             the job's classes in tests, where no job jar exists yet; usually empty
 */
public record ClusterSpec(ClusterPorts ports, int numTaskManagers, int slotsPerTaskManager, int jobManagerMemoryMb,
                          int taskManagerMemoryMb, List<String> userClasspath) {
    public static final int DEFAULT_SLOTS_PER_TASK_MANAGER = 2;
    public static final int DEFAULT_JOB_MANAGER_MEMORY_MB = 1024;
    public static final int DEFAULT_TASK_MANAGER_MEMORY_MB = 1536;

    public ClusterSpec {
        if (numTaskManagers < 1) {
            throw new IllegalArgumentException("--task-managers must be >= 1, got " + numTaskManagers);
        }
        if (slotsPerTaskManager < 1) {
            throw new IllegalArgumentException("slots per TaskManager must be >= 1, got " + slotsPerTaskManager);
        }
        if (jobManagerMemoryMb < 512 || taskManagerMemoryMb < 768) {
            throw new IllegalArgumentException("JobManager memory must be >= 512 MiB and TaskManager memory >= 768 MiB,"
                    + " got " + jobManagerMemoryMb + " and " + taskManagerMemoryMb);
        }
        userClasspath = List.copyOf(userClasspath);
    }

    /** A spec with free ports and default memory. */
    public static ClusterSpec withFreePorts(int numTaskManagers, boolean metrics, List<String> userClasspath) {
        ClusterPorts ports = new ClusterPorts(ClusterPorts.freePort(), ClusterPorts.freePort(), ClusterPorts.freePort(),
                ClusterPorts.freePort(), metrics ? freeMetricsBase() : 0);
        return new ClusterSpec(ports, numTaskManagers, DEFAULT_SLOTS_PER_TASK_MANAGER, DEFAULT_JOB_MANAGER_MEMORY_MB,
                DEFAULT_TASK_MANAGER_MEMORY_MB, userClasspath);
    }

    /**
     * A metrics base port whose next 31 ports look free too (the JobManager's and up to 31 TaskManagers'),
     * above the ephemeral range's usual start so that it rarely collides.
     */
    static int freeMetricsBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 8000);
            boolean free = true;
            for (int p = base; p < base + 32 && free; p++) {
                free = isFree(p);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of 32 ports for the metrics endpoints; pass --metrics-port");
    }

    static boolean isFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code cluster.properties}. */
    public void save(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("kafka.port", Integer.toString(ports.kafkaPort()));
        p.setProperty("kafka.controller.port", Integer.toString(ports.kafkaControllerPort()));
        p.setProperty("rest.port", Integer.toString(ports.restPort()));
        p.setProperty("rpc.port", Integer.toString(ports.rpcPort()));
        p.setProperty("metrics.port", Integer.toString(ports.metricsPort()));
        p.setProperty("task-managers", Integer.toString(numTaskManagers));
        p.setProperty("slots-per-task-manager", Integer.toString(slotsPerTaskManager));
        p.setProperty("jobmanager.memory.mb", Integer.toString(jobManagerMemoryMb));
        p.setProperty("taskmanager.memory.mb", Integer.toString(taskManagerMemoryMb));
        p.setProperty("user-classpath", String.join(java.io.File.pathSeparator, userClasspath));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "prefixflow cluster");
        }
    }

    /**
     * Reads {@code cluster.properties}.
     *
     * @throws IllegalStateException naming {@code --work-dir} when there is no cluster there
     */
    public static ClusterSpec load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no cluster in " + file.getParent() + " (" + file.getFileName()
                    + " is missing); start one with `cluster start --work-dir " + file.getParent() + "`");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        ClusterPorts ports = new ClusterPorts(integer(p, "kafka.port"), integer(p, "kafka.controller.port"),
                integer(p, "rest.port"), integer(p, "rpc.port"), integer(p, "metrics.port"));
        String cp = p.getProperty("user-classpath", "");
        List<String> userClasspath = new ArrayList<>();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                userClasspath.add(entry);
            }
        }
        return new ClusterSpec(ports, integer(p, "task-managers"), integer(p, "slots-per-task-manager"),
                integer(p, "jobmanager.memory.mb"), integer(p, "taskmanager.memory.mb"), userClasspath);
    }

    private static int integer(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("cluster.properties lacks " + key);
        }
        return Integer.parseInt(v.strip());
    }
}
