package io.prefixflow.jobs.cluster;

import java.nio.file.Path;

/**
 * Where a local cluster keeps everything, under one work directory.
 *
 * <pre>
 * WORK/
 *   cluster.properties      ports and sizes ({@link ClusterPorts}, {@link ClusterSpec})
 *   flink-conf/config.yaml  the JobManager's and TaskManagers' configuration, log4j.properties
 *   kafka/server.properties the broker's configuration; kafka/data its log directory
 *   checkpoints/            Flink checkpoints (RocksDB, incremental)
 *   tmp/                    io.tmp.dirs: RocksDB working files, blobs
 *   logs/ROLE.log, ROLE.out each process's log and its stdout/stderr
 *   pids/ROLE.pid           each process's pid
 * </pre>
 *
 * @param workDir the absolute work directory
 */
public record ClusterLayout(Path workDir) {
    public ClusterLayout {
        workDir = workDir.toAbsolutePath().normalize();
    }

    public Path propertiesFile() {
        return workDir.resolve("cluster.properties");
    }

    public Path flinkConfDir() {
        return workDir.resolve("flink-conf");
    }

    public Path log4jFile() {
        return flinkConfDir().resolve("log4j.properties");
    }

    public Path kafkaDir() {
        return workDir.resolve("kafka");
    }

    public Path kafkaProperties() {
        return kafkaDir().resolve("server.properties");
    }

    public Path kafkaDataDir() {
        return kafkaDir().resolve("data");
    }

    public Path checkpointsDir() {
        return workDir.resolve("checkpoints");
    }

    public Path tmpDir() {
        return workDir.resolve("tmp");
    }

    public Path logsDir() {
        return workDir.resolve("logs");
    }

    public Path pidsDir() {
        return workDir.resolve("pids");
    }

    public Path logFile(String role) {
        return logsDir().resolve(role + ".log");
    }

    public Path outFile(String role) {
        return logsDir().resolve(role + ".out");
    }

    public Path pidFile(String role) {
        return pidsDir().resolve(role + ".pid");
    }
}
