package io.prefixflow.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the configuration files of a local cluster: Flink's {@code config.yaml}, log4j, the broker's. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /**
     * The Flink configuration shared by the JobManager and the TaskManagers. NOTE: heartbeats are short (1 s,
     * 6 s time-out) so that a killed TaskManager is noticed in seconds rather than Flink's default 50 s; the
     * restart strategy retries every 2 s without end, as a streaming job on a cluster should.
     */
    static Map<String, String> flinkConfiguration(ClusterLayout layout, ClusterSpec spec) {
        ClusterPorts ports = spec.ports();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(ports.rpcPort()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(ports.restPort()));
        c.put("jobmanager.memory.process.size", spec.jobManagerMemoryMb() + "m");
        c.put("taskmanager.memory.process.size", spec.taskManagerMemoryMb() + "m");
        c.put("taskmanager.memory.managed.size", "128m");
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(spec.slotsPerTaskManager()));
        c.put("parallelism.default", "2");
        c.put("state.backend.type", "rocksdb");
        c.put("execution.checkpointing.incremental", "true");
        c.put("execution.checkpointing.dir", layout.checkpointsDir().toUri().toString());
        c.put("io.tmp.dirs", layout.tmpDir().toString());
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "6000");
        c.put("restart-strategy.type", "fixed-delay");
        c.put("restart-strategy.fixed-delay.attempts", "2147483647");
        c.put("restart-strategy.fixed-delay.delay", "2 s");
        c.put("web.submit.enable", "true");
        c.put("web.cancel.enable", "true");
        if (ports.metricsEnabled()) {
            c.put("metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            c.put("metrics.reporter.prom.port", Integer.toString(ports.metricsPort()));
        }
        return c;
    }

    static void writeFlinkConf(ClusterLayout layout, ClusterSpec spec) throws IOException {
        Files.createDirectories(layout.flinkConfDir());
        StringBuilder yaml = new StringBuilder("# Written by `prefixflow cluster start`.\n");
        for (Map.Entry<String, String> e : flinkConfiguration(layout, spec).entrySet()) {
            yaml.append(e.getKey()).append(": \"").append(e.getValue().replace("\"", "\\\"")).append("\"\n");
        }
        Files.writeString(layout.flinkConfDir().resolve("config.yaml"), yaml);
        Files.writeString(layout.log4jFile(), """
                # Each process logs to its own file, named by -Dlog.file (as Flink's scripts do).
                monitorInterval = 0
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = MainAppender
                appender.main.name = MainAppender
                appender.main.type = File
                appender.main.append = true
                appender.main.fileName = ${sys:log.file}
                appender.main.layout.type = PatternLayout
                appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                logger.kafkabroker.name = kafka
                logger.kafkabroker.level = WARN
                logger.state.name = state.change.logger
                logger.state.level = WARN
                """);
    }

    /** A single KRaft node (broker and controller) on 127.0.0.1, sized for one machine; creates topics on use. */
    static void writeKafkaProperties(ClusterLayout layout, ClusterPorts ports) throws IOException {
        Files.createDirectories(layout.kafkaDir());
        String props = String.join("\n",
                "# Written by `prefixflow cluster start`.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + ports.kafkaControllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + ports.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                        + ports.kafkaControllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + ports.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + layout.kafkaDataDir(),
                "num.partitions=2",
                // NOTE: `produce` and the job's sinks create missing topics (2 partitions), as there is no
                // topic tool on this classpath; `chaos` and the tests create theirs explicitly.
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "transaction.max.timeout.ms=900000",
                // NOTE: the exactly-once sinks (naming strategy INCREMENTING) start a new transactional id, so a
                // new producer id, at every checkpoint; the broker keeps each one's coordinator entry for
                // transactional.id.expiration.ms (default 7 days) and its per-partition producer state for
                // producer.id.expiration.ms (1 day), so its heap grew ~17 MiB/h in a 30-minute soak at a checkpoint
                // every 2 s. Neither expires while its transaction is open, so the sinks' 15-minute transaction
                // timeout is also a safe expiry: an id idle that long has nothing left to commit.
                "transactional.id.expiration.ms=900000",
                "transaction.remove.expired.transaction.cleanup.interval.ms=60000",
                "producer.id.expiration.ms=900000",
                "producer.id.expiration.check.interval.ms=60000",
                "group.initial.rebalance.delay.ms=0",
                "") ;
        Files.writeString(layout.kafkaProperties(), props);
    }
}
