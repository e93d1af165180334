package io.prefixflow.jobs.sql;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;

/**
 * The settings that send a script's jobs to a running Flink cluster (its JobManager's REST endpoint) instead of
 * an in-process one. The jar this class runs from is shipped with every job, so the cluster finds the
 * {@code prefixflow} model provider without it being installed there.
 */
public final class RemoteCluster {
    private RemoteCluster() {
    }

    /**
     * The configuration for the JobManager at {@code hostPort}.
     *
     * @throws IllegalArgumentException naming {@code --jobmanager} when it is not {@code HOST:PORT}
     */
    public static Configuration configuration(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        int port;
        try {
            port = colon < 1 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT (the REST endpoint), got " + hostPort);
        }
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, hostPort.substring(0, colon));
        conf.set(RestOptions.PORT, port);
        Path jar = ownJar();
        if (jar != null) {
            conf.set(PipelineOptions.JARS, List.of(jar.toUri().toString()));
        }
        return conf;
    }

    /** The jar these classes come from; null when they come from a folder (tests, an IDE). */
    private static Path ownJar() {
        try {
            Path location = Path.of(RemoteCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("cannot locate this program's jar to ship with the jobs", e);
        }
    }
}
