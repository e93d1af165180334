package io.prefixflow.jobs.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a soak run does.
 *
 * @param duration         how long requests are produced
 * @param ratePerSecond    requests per second, open loop (sent on schedule whatever the backlog)
 * @param sampleInterval   time between two samples
 * @param numTaskManagers  TaskManagers of the cluster (2 slots each)
 * @param workDir          the cluster's work directory
 * @param outDir           where {@code samples.csv}, {@code soak.png} and {@code soak.json} go
 * @param keepCluster      whether to leave the cluster (and the job) running at the end
 * @param drainTimeout     how long to wait, after the last request, for the missing completions
 * @param userClasspath    extra classpath of the cluster's processes (tests: the job's classes); usually empty,
 *                         the job then ships this program's jar
 */
public record SoakSettings(Duration duration, double ratePerSecond, Duration sampleInterval, int numTaskManagers,
                           Path workDir, Path outDir, boolean keepCluster, Duration drainTimeout,
                           List<String> userClasspath) {
    /** The share of the run, from its start, left out of the slopes. */
    public static final double WARM_UP_FRACTION = 0.2;

    public SoakSettings {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (!(ratePerSecond > 0) || ratePerSecond > 10_000) {
            throw new IllegalArgumentException("--rate must be in (0, 10000] requests/s, got " + ratePerSecond);
        }
        if (sampleInterval.toMillis() < 1000) {
            throw new IllegalArgumentException("--sample-interval must be at least 1s, got " + sampleInterval);
        }
        if (numTaskManagers < 1) {
            throw new IllegalArgumentException("--task-managers must be >= 1, got " + numTaskManagers);
        }
        userClasspath = List.copyOf(userClasspath);
    }

    /** Seconds from the start of production before which samples are left out of the slopes. */
    public double warmUpSeconds() {
        return duration.toMillis() / 1000.0 * WARM_UP_FRACTION;
    }
}
