package io.prefixflow.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker, a Flink JobManager and TaskManagers on this machine, each its own process, found again from
 * any invocation through the work directory ({@link ClusterLayout}). Processes outlive the program that started
 * them; {@link #stop()} ends them.
 *
 * <pre>{@code
 * LocalCluster cluster = LocalCluster.start(Path.of("/tmp/pf"), ClusterSpec.withFreePorts(2, true, List.of()), log);
 * ... submit to cluster.jobManagerAddress(), produce to cluster.bootstrapServers() ...
 * cluster.kill(ClusterProcess.taskManager(1));
 * cluster.startTaskManager();
 * cluster.stop();
 * }</pre>
 */
public final class LocalCluster {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final ClusterLayout layout;
    private final ClusterSpec spec;
    private final PidFiles pids;
    private final JvmCommands commands;
    private final Consumer<String> log;

    private LocalCluster(ClusterLayout layout, ClusterSpec spec, ClusterClasspath classpath, Consumer<String> log) {
        this.layout = layout;
        this.spec = spec;
        this.pids = new PidFiles(layout);
        this.commands = new JvmCommands(layout, spec, classpath);
        this.log = log;
    }

    /**
     * Starts broker, JobManager and {@code spec.numTaskManagers()} TaskManagers under {@code workDir} and waits
     * until each is ready.
     *
     * @param log receives one line per step
     * @throws IllegalStateException when a cluster already runs there, or a process does not come up (with the
     *                               end of its log)
     */
    public static LocalCluster start(Path workDir, ClusterSpec spec, Consumer<String> log) throws Exception {
        ClusterLayout layout = new ClusterLayout(workDir);
        PidFiles pids = new PidFiles(layout);
        for (String role : pids.roles()) {
            if (pids.process(role).isPresent()) {
                throw new IllegalStateException("a cluster already runs in " + layout.workDir() + " (" + role
                        + " is alive); `cluster stop --work-dir " + layout.workDir() + "` first");
            }
            pids.delete(role);
        }
        for (Path dir : List.of(layout.logsDir(), layout.checkpointsDir(), layout.tmpDir(), layout.pidsDir())) {
            Files.createDirectories(dir);
        }
        spec.save(layout.propertiesFile());
        ConfigFiles.writeFlinkConf(layout, spec);
        ConfigFiles.writeKafkaProperties(layout, spec.ports());
        LocalCluster cluster = new LocalCluster(layout, spec, ClusterClasspath.load(), log);
        try {
            cluster.formatKafkaOnce();
            cluster.startBroker();
            cluster.launch(ClusterProcess.JOB_MANAGER, cluster.commands.jobManager());
            cluster.awaitJobManager();
            for (int i = 1; i <= spec.numTaskManagers(); i++) {
                cluster.startTaskManager(i);
            }
            cluster.awaitTaskManagers(spec.numTaskManagers(), START_TIMEOUT);
        } catch (Exception e) {
            cluster.stop();
            throw e;
        }
        return cluster;
    }

    /** The cluster that {@code start} left in {@code workDir}. */
    public static LocalCluster attach(Path workDir, Consumer<String> log) throws IOException {
        ClusterLayout layout = new ClusterLayout(workDir);
        ClusterSpec spec = ClusterSpec.load(layout.propertiesFile());
        return new LocalCluster(layout, spec, ClusterClasspath.load(), log);
    }

    public ClusterLayout layout() {
        return layout;
    }

    public ClusterSpec spec() {
        return spec;
    }

    public String bootstrapServers() {
        return spec.ports().bootstrapServers();
    }

    public String jobManagerAddress() {
        return spec.ports().jobManagerAddress();
    }

    public FlinkRestClient rest() {
        return new FlinkRestClient(jobManagerAddress());
    }

    /** Every process with a pid file, alive or not, in the order broker, JobManager, TaskManagers. */
    public List<ClusterProcess> processes() throws IOException {
        List<ClusterProcess> out = new ArrayList<>();
        for (String role : pids.roles()) {
            long pid = pids.read(role).orElse(-1L);
            out.add(new ClusterProcess(role, pid, port(role), pids.process(role).isPresent()));
        }
        return out;
    }

    /** Numbers of the TaskManagers that run now. */
    public List<Integer> liveTaskManagers() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (ClusterProcess p : processes()) {
            int index = ClusterProcess.taskManagerIndex(p.role());
            if (index > 0 && p.alive()) {
                out.add(index);
            }
        }
        return out;
    }

    /** Starts one more TaskManager, numbered after every earlier one; returns its number. Does not wait. */
    public int startTaskManager() throws IOException {
        int next = 1;
        for (String role : pids.roles()) {
            next = Math.max(next, ClusterProcess.taskManagerIndex(role) + 1);
        }
        startTaskManager(next);
        return next;
    }

    /** Starts (or restarts) the broker on its old port and data, and waits until it answers. */
    public void startBroker() throws Exception {
        launch(ClusterProcess.KAFKA, commands.kafkaBroker());
        awaitBroker();
    }

    /** {@code kill -9} of {@code role}'s process; waits until it is gone. Returns false if it was not running. */
    public boolean kill(String role) throws Exception {
        Optional<ProcessHandle> process = pids.process(role);
        if (process.isEmpty()) {
            return false;
        }
        log.accept("kill -9 " + role + " (pid " + process.get().pid() + ")");
        process.get().destroyForcibly();
        process.get().onExit().get(30, TimeUnit.SECONDS);
        return true;
    }

    /** Waits until {@code count} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        FlinkRestClient rest = rest();
        while (true) {
            int registered;
            try {
                registered = rest.numTaskManagers();
            } catch (IOException e) {
                registered = -1;
            }
            if (registered >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(registered + " of " + count + " TaskManagers registered after "
                        + timeout.toSeconds() + " s; see " + layout.logsDir());
            }
            Thread.sleep(250);
        }
    }

    /** Creates {@code topic} with {@code partitions} partitions on the broker. */
    public void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Client properties for the broker. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /**
     * Ends every process: TaskManagers, then the JobManager, then the broker; each gets {@code SIGTERM} and,
     * after 20 s, {@code SIGKILL}. Removes the pid files; keeps logs, checkpoints and Kafka data.
     */
    public void stop() throws Exception {
        List<String> roles = new ArrayList<>(pids.roles());
        java.util.Collections.reverse(roles);
        List<ProcessHandle> stopping = new ArrayList<>();
        for (String role : roles) {
            if (role.equals(ClusterProcess.KAFKA)) {
                continue;
            }
            pids.process(role).ifPresent(p -> {
                log.accept("stopping " + role + " (pid " + p.pid() + ")");
                p.destroy();
                stopping.add(p);
            });
        }
        awaitExit(stopping);
        Optional<ProcessHandle> broker = pids.process(ClusterProcess.KAFKA);
        if (broker.isPresent()) {
            log.accept("stopping kafka (pid " + broker.get().pid() + ")");
            broker.get().destroy();
            awaitExit(List.of(broker.get()));
        }
        for (String role : roles) {
            pids.delete(role);
        }
    }

    private void awaitExit(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle p : processes) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private void startTaskManager(int index) throws IOException {
        launch(ClusterProcess.taskManager(index), commands.taskManager(index));
    }

    private int port(String role) {
        if (role.equals(ClusterProcess.KAFKA)) {
            return spec.ports().kafkaPort();
        }
        if (role.equals(ClusterProcess.JOB_MANAGER)) {
            return spec.ports().restPort();
        }
        int index = ClusterProcess.taskManagerIndex(role);
        return index > 0 && spec.ports().metricsEnabled() ? spec.ports().taskManagerMetricsPort(index) : 0;
    }

    private void launch(String role, List<String> command) throws IOException {
        File out = layout.outFile(role).toFile();
        Process process = new ProcessBuilder(command)
                .directory(layout.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        pids.write(role, process.pid());
        log.accept("started " + role + " (pid " + process.pid() + ", port " + port(role) + ")");
    }

    private void formatKafkaOnce() throws Exception {
        if (Files.exists(layout.kafkaDataDir().resolve("meta.properties"))) {
            return;
        }
        File out = layout.outFile("kafka-format").toFile();
        Process format = new ProcessBuilder(commands.kafkaFormat(Uuid.randomUuid().toString()))
                .directory(layout.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("formatting the broker's log directory failed:\n" + tail(out.toPath()));
        }
    }

    private void awaitBroker() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties props = adminProperties();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                failIfDead(ClusterProcess.KAFKA);
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not answer within " + START_TIMEOUT.toSeconds()
                                + " s:\n" + tail(layout.outFile(ClusterProcess.KAFKA)), e);
                    }
                }
                Thread.sleep(250);
            }
        }
    }

    private void awaitJobManager() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        FlinkRestClient rest = rest();
        while (!rest.isUp()) {
            failIfDead(ClusterProcess.JOB_MANAGER);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the JobManager's REST API did not answer within "
                        + START_TIMEOUT.toSeconds() + " s; see " + layout.logFile(ClusterProcess.JOB_MANAGER));
            }
            Thread.sleep(250);
        }
    }

    private void failIfDead(String role) throws IOException {
        if (pids.process(role).isEmpty()) {
            throw new IllegalStateException(role + " exited at start:\n" + tail(layout.outFile(role)) + "\n(see "
                    + layout.logFile(role) + ")");
        }
    }

    private Properties adminProperties() {
        Properties props = clientProperties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return props;
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
