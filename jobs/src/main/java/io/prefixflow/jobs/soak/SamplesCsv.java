package io.prefixflow.jobs.soak;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Writes samples as CSV: a header of {@link Sample#columns()} names, one row per sample, empty for unknown. */
final class SamplesCsv {
    private SamplesCsv() {
    }

    static void write(Path file, List<Sample> samples) throws IOException {
        List<Map<String, Double>> rows = samples.stream().map(Sample::columns).toList();
        Set<String> header = new LinkedHashSet<>();
        rows.forEach(r -> header.addAll(r.keySet()));
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(String.join(",", header) + "\n");
            for (Map<String, Double> row : rows) {
                List<String> cells = new ArrayList<>();
                for (String column : header) {
                    cells.add(cell(row.getOrDefault(column, Double.NaN)));
                }
                w.write(String.join(",", cells) + "\n");
            }
        }
    }

    private static String cell(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
