package io.prefixflow.jobs.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident set size, from {@code VmRSS} in {@code /proc/<pid>/status} (Linux). */
final class Rss {
    private Rss() {
    }

    /** {@code VmRSS} of {@code pid} in bytes. */
    static long bytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                if (parts.length != 2 || !parts[1].equals("kB")) {
                    throw new IOException("unexpected VmRSS line in /proc/" + pid + "/status: " + line);
                }
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        throw new IOException("/proc/" + pid + "/status has no VmRSS line");
    }
}
