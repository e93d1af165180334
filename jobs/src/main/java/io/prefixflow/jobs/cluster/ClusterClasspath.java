package io.prefixflow.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpaths of the cluster's processes, written by Maven at build time ({@code dependency:build-classpath})
 * next to {@code prefixflow.jar} (or next to {@code target/classes} when run from the build tree):
 * {@code flink.classpath} for the JobManager and TaskManagers (what a Flink distribution holds; the job brings
 * Kafka clients, the connector and Avro in its jar) and {@code kafka.classpath} for the broker. The system
 * property {@code prefixflow.cluster.classpath.dir} names another folder holding them.
 *
 * @param flink the JobManager's and TaskManagers' entries
 * @param kafka the broker's entries
 */
public record ClusterClasspath(List<String> flink, List<String> kafka) {
    static final String PROPERTY = "prefixflow.cluster.classpath.dir";

    public ClusterClasspath {
        flink = List.copyOf(flink);
        kafka = List.copyOf(kafka);
    }

    /**
     * Both files, each entry checked to exist.
     *
     * @throws IllegalStateException naming the file when it is missing or lists a missing jar
     */
    public static ClusterClasspath load() throws IOException {
        Path dir = locate();
        return new ClusterClasspath(read(dir.resolve("flink.classpath")), read(dir.resolve("kafka.classpath")));
    }

    private static List<String> read(Path file) throws IOException {
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
            return location.toAbsolutePath().getParent();
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("cannot locate flink.classpath; set -D" + PROPERTY, e);
        }
    }
}
