package io.prefixflow.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place tests find the shared models and reference outputs.
 *
 * <p>System property {@code prefixflow.shared.dir} (Maven sets it to {@code ../shared} beside the
 * checkout), else environment variable {@code PREFIXFLOW_SHARED_DIR}. A missing folder is an error, never
 * a skip: the oracles are what these tests are about.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path dir() {
        String configured = System.getProperty("prefixflow.shared.dir", System.getenv("PREFIXFLOW_SHARED_DIR"));
        if (configured == null) {
            throw new IllegalStateException("set -Dprefixflow.shared.dir or PREFIXFLOW_SHARED_DIR to the shared/ folder");
        }
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("models")) || !Files.isDirectory(dir.resolve("reference"))) {
            throw new IllegalStateException("shared data folder " + dir + " has no models/ and reference/;"
                    + " set -Dprefixflow.shared.dir or PREFIXFLOW_SHARED_DIR");
        }
        return dir;
    }

    public static Path model(String fileName) {
        return existing(dir().resolve("models").resolve(fileName));
    }

    public static Path reference(String fileName) {
        return existing(dir().resolve("reference").resolve(fileName));
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing shared file " + file);
        }
        return file;
    }
}
