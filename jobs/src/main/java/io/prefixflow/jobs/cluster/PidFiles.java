package io.prefixflow.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The pid file of each process a local cluster started. A pid counts as the cluster's only while that process
 * runs and its command line names this work directory, so a reused pid is never signalled.
 */
final class PidFiles {
    /** The JVM property every cluster process carries: the work directory it belongs to. */
    static final String OWNER_PROPERTY = "prefixflow.cluster.dir";

    private final ClusterLayout layout;

    PidFiles(ClusterLayout layout) {
        this.layout = layout;
    }

    void write(String role, long pid) throws IOException {
        Files.createDirectories(layout.pidsDir());
        Files.writeString(layout.pidFile(role), Long.toString(pid) + "\n");
    }

    Optional<Long> read(String role) {
        Path file = layout.pidFile(role);
        try {
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void delete(String role) throws IOException {
        Files.deleteIfExists(layout.pidFile(role));
    }

    /** Roles with a pid file: kafka, jobmanager, then the TaskManagers by number. */
    List<String> roles() throws IOException {
        if (!Files.isDirectory(layout.pidsDir())) {
            return List.of();
        }
        List<String> roles = new ArrayList<>();
        try (Stream<Path> files = Files.list(layout.pidsDir())) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                    .map(n -> n.substring(0, n.length() - 4)).forEach(roles::add);
        }
        roles.sort((a, b) -> Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b))
                : Integer.compare(ClusterProcess.taskManagerIndex(a), ClusterProcess.taskManagerIndex(b)));
        return roles;
    }

    /** The live process of {@code role} that belongs to this work directory, if any. */
    Optional<ProcessHandle> process(String role) {
        return read(role).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(this::isOurs);
    }

    private boolean isOurs(ProcessHandle handle) {
        String marker = "-D" + OWNER_PROPERTY + "=" + layout.workDir();
        return handle.info().commandLine().map(cmd -> cmd.contains(marker)).orElse(false);
    }

    private static int rank(String role) {
        return switch (role) {
            case ClusterProcess.KAFKA -> 0;
            case ClusterProcess.JOB_MANAGER -> 1;
            default -> 2;
        };
    }
}
