package io.prefixflow.runtime.model;

import java.nio.file.Path;

/** A model file that cannot be used: the message names the file and what is wrong with it. */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
