package io.prefixflow.jobs.cluster;

/**
 * One process of a local cluster as {@code status} reports it.
 *
 * @param role  {@code kafka}, {@code jobmanager} or {@code taskmanager-N}
 * @param pid   its process id
 * @param port  the port it serves on (broker: clients; JobManager: REST and web UI; TaskManager: its
 *              Prometheus endpoint, or 0 when it has none)
 * @param alive whether the process still runs
 */
public record ClusterProcess(String role, long pid, int port, boolean alive) {
    public static final String KAFKA = "kafka";
    public static final String JOB_MANAGER = "jobmanager";
    public static final String TASK_MANAGER_PREFIX = "taskmanager-";

    /** {@code taskmanager-N}. */
    public static String taskManager(int index) {
        return TASK_MANAGER_PREFIX + index;
    }

    /** The N of {@code taskmanager-N}, or -1 for another role. */
    public static int taskManagerIndex(String role) {
        if (!role.startsWith(TASK_MANAGER_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(role.substring(TASK_MANAGER_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
