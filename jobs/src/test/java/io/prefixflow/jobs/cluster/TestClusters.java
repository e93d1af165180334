package io.prefixflow.jobs.cluster;

import java.io.File;
import java.util.Arrays;
import java.util.List;

/** What tests need to run the job on a local cluster before any jar exists. */
public final class TestClusters {
    private TestClusters() {
    }

    /**
     * The test classpath (surefire's, not its manifest-only booter jar): given to the cluster's processes as their
     * user classpath, so the job's classes load there without a job jar, as from Flink's {@code lib/}.
     */
    public static List<String> userClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }
}
