package io.prefixflow.connectors.kafka;

import java.util.List;

/** Shared reporting of builder setting problems. */
final class Settings {
    private Settings() {
    }

    /** Throws one exception that lists every problem, or returns when there are none. */
    static void throwIfAny(String builder, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException(builder + ": " + String.join("; ", problems));
        }
    }
}
