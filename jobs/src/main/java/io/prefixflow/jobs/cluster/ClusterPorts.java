package io.prefixflow.jobs.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The fixed ports of a local cluster, all on 127.0.0.1. TaskManagers take free ports of their own.
 *
 * @param kafkaPort           the broker's client listener
 * @param kafkaControllerPort the broker's KRaft controller listener
 * @param restPort            the JobManager's REST API and web UI
 * @param rpcPort             the JobManager's RPC
 * @param metricsPort         the JobManager's Prometheus endpoint; TaskManager {@code n} serves on
 *                            {@code metricsPort + n}; 0 when metrics are off
 */
public record ClusterPorts(int kafkaPort, int kafkaControllerPort, int restPort, int rpcPort, int metricsPort) {
    public ClusterPorts {
        check("kafkaPort", kafkaPort);
        check("kafkaControllerPort", kafkaControllerPort);
        check("restPort", restPort);
        check("rpcPort", rpcPort);
        if (metricsPort != 0) {
            check("metricsPort", metricsPort);
        }
    }

    /** Whether the Prometheus reporter is on. */
    public boolean metricsEnabled() {
        return metricsPort != 0;
    }

    /** The Prometheus port of TaskManager number {@code index} (1-based). */
    public int taskManagerMetricsPort(int index) {
        if (!metricsEnabled()) {
            throw new IllegalStateException("metrics are off (cluster started without --metrics-port)");
        }
        return metricsPort + index;
    }

    /** {@code host:port} of the broker. */
    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** {@code host:port} of the JobManager's REST API. */
    public String jobManagerAddress() {
        return "127.0.0.1:" + restPort;
    }

    /** A port on 127.0.0.1 that nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static void check(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in 1..65535, got " + port);
        }
    }
}
