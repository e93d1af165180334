package io.prefixflow.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of the cluster's processes: {@code cluster.classpath}, written by Maven at build time
 * ({@code dependency:build-classpath}) next to {@code prefixflow.jar} (or next to {@code target/classes} when
 * run from the build tree). The system property {@code prefixflow.cluster.classpath} names another file.
 */
public final class ClusterClasspath {
    static final String PROPERTY = "prefixflow.cluster.classpath";
    static final String FILE_NAME = "cluster.classpath";

    private ClusterClasspath() {
    }

    /**
     * The entries, each checked to exist.
     *
     * @throws IllegalStateException naming the file when it is missing or lists a missing jar
     */
    public static List<String> load() throws IOException {
        Path file = locate();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build with `mvn package` (it lists the jars the"
                    + " cluster's processes run on), or point -D" + PROPERTY + " at it");
        }
        List<String> entries = new ArrayList<>();
        for (String entry : Files.readString(file).strip().split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException(file + " lists " + entry + ", which does not exist: rebuild with"
                        + " `mvn package` on this machine");
            }
            entries.add(entry);
        }
        return entries;
    }

    static Path locate() {
        String override = System.getProperty(PROPERTY);
        if (override != null) {
            return Path.of(override);
        }
        try {
            Path location = Path.of(ClusterClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toAbsolutePath().getParent().resolve(FILE_NAME);
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("cannot locate " + FILE_NAME + "; set -D" + PROPERTY, e);
        }
    }
}
