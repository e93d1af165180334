package io.prefixflow.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place these tests find the shared models and chat templates: system property
 * {@code prefixflow.shared.dir} (Maven sets it), else {@code PREFIXFLOW_SHARED_DIR}. Missing is an error.
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
        if (!Files.isDirectory(dir.resolve("models"))) {
            throw new IllegalStateException("shared data folder " + dir + " has no models/;"
                    + " set -Dprefixflow.shared.dir or PREFIXFLOW_SHARED_DIR");
        }
        return dir;
    }

    public static Path model(String fileName) {
        Path file = dir().resolve("models").resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("missing shared file " + file);
        }
        return file;
    }

    public static Path chatTemplate(String fileName) {
        return model("chat-templates/" + fileName);
    }
}
