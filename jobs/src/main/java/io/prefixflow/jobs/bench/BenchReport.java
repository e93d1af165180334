package io.prefixflow.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the results of a {@code bench} invocation under a folder:
 * <pre>
 *   DIR/runs/NAME.json   one per run: name, config, metrics (request_throughput, ...), peak_kv_blocks
 *   DIR/summary.json     every run
 *   DIR/*.png            charts ({@link BenchCharts})
 *   DIR/report.html      the charts and a table of every run
 * </pre>
 */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    /** Writes everything; existing files of the same names are replaced. */
    public static void write(Path dir, List<RunResult> results) {
        try {
            Files.createDirectories(dir.resolve("runs"));
            for (RunResult r : results) {
                JSON.writeValue(dir.resolve("runs").resolve(r.name() + ".json").toFile(), r);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("runs", results);
            JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
            List<String> charts = BenchCharts.write(dir, results);
            Files.writeString(dir.resolve("report.html"), html(results, charts));
        } catch (IOException e) {
            throw new UncheckedIOException("--output " + dir + ": cannot write results: " + e.getMessage(), e);
        }
    }

    /** A plain-text table of the main numbers. */
    public static String table(List<RunResult> results) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-44s %9s %10s %9s %9s %9s %9s %7s %7s %8s%n",
                "run", "req/s", "out tok/s", "ttft p50", "ttft p99", "tpot p50", "e2e p99", "hit", "kv peak",
                "max/mean"));
        for (RunResult r : results) {
            RunMetrics m = r.metrics();
            b.append(String.format(Locale.ROOT, "%-44s %9.3f %10.1f %9.0f %9.0f %9.1f %9.0f %7.3f %7d %8.2f%n",
                    r.name(), m.requestThroughput(), m.outputTokenThroughput(), m.ttftMs().p50(), m.ttftMs().p99(),
                    m.tpotMs().p50(), m.e2eLatencyMs().p99(), m.prefixCacheHitRate(), r.peakKvBlocks(),
                    m.maxMeanRequests()));
        }
        return b.toString();
    }

    private static String html(List<RunResult> results, List<String> charts) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>PrefixFlow bench</title><style>body{font-family:sans-serif}td,th{padding:2px 8px;"
                + "text-align:right}img{max-width:48%;margin:4px}</style></head><body>\n<h1>PrefixFlow bench</h1>\n");
        for (String chart : charts) {
            b.append("<img src=\"").append(chart).append("\" alt=\"").append(chart).append("\">\n");
        }
        b.append("<h2>Runs</h2>\n<pre>").append(escape(table(results))).append("</pre>\n<h2>Configurations</h2>\n<ul>\n");
        for (RunResult r : results) {
            b.append("<li><b>").append(escape(r.name())).append("</b>: ").append(escape(r.config().toString()))
                    .append("</li>\n");
        }
        return b.append("</ul>\n</body></html>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
