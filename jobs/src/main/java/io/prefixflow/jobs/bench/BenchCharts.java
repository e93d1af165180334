package io.prefixflow.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The charts of a bench report, as PNG (XChart), grouped by request rate on the x axis and by the
 * configuration (routing, prefix cache) as series: request throughput, output-token throughput, TTFT and
 * end-to-end latency percentiles, prefix-cache hit rate, and, when a run set compares configurations, one
 * chart per compared setting.
 */
final class BenchCharts {
    private BenchCharts() {
    }

    /** Writes the charts into {@code dir}; returns their file names. */
    static List<String> write(Path dir, List<RunResult> results) throws IOException {
        List<String> files = new ArrayList<>();
        files.add(byRate(dir, results, "request_throughput", "requests/s", m -> m.requestThroughput()));
        files.add(byRate(dir, results, "output_token_throughput", "tokens/s", m -> m.outputTokenThroughput()));
        files.add(byRate(dir, results, "ttft_p50", "ms", m -> m.ttftMs().p50()));
        files.add(byRate(dir, results, "ttft_p99", "ms", m -> m.ttftMs().p99()));
        files.add(byRate(dir, results, "e2e_latency_p50", "ms", m -> m.e2eLatencyMs().p50()));
        files.add(byRate(dir, results, "e2e_latency_p99", "ms", m -> m.e2eLatencyMs().p99()));
        files.add(byRate(dir, results, "prefix_cache_hit_rate", "cached / prompt tokens", m -> m.prefixCacheHitRate()));
        for (String setting : List.of("routing", "prefix_cache")) {
            if (results.stream().map(r -> String.valueOf(r.config().get(setting))).distinct().count() > 1) {
                files.add(comparison(dir, results, setting));
            }
        }
        return files;
    }

    /** x: request rate; one series per configuration (routing, prefix cache). */
    private static String byRate(Path dir, List<RunResult> results, String name, String unit,
                                 ToDoubleFunction<RunMetrics> value) throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> rates = new ArrayList<>();
        for (RunResult r : results) {
            String rate = String.valueOf(r.config().get("request_rate"));
            if (!rates.contains(rate)) {
                rates.add(rate);
            }
            String config = r.config().get("routing") + " routing, cache " + onOff(r.config().get("prefix_cache"));
            series.computeIfAbsent(config, k -> new LinkedHashMap<>()).put(rate, value.applyAsDouble(r.metrics()));
        }
        return save(dir, name, name + " vs request rate", "request rate (requests/s)", name + " (" + unit + ")",
                rates, series);
    }

    /** Request throughput; x: the other settings and the rate; one series per value of {@code setting}. */
    private static String comparison(Path dir, List<RunResult> results, String setting) throws IOException {
        String other = setting.equals("routing") ? "prefix_cache" : "routing";
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        List<String> groups = new ArrayList<>();
        for (RunResult r : results) {
            String group = other.replace('_', '-') + " " + label(other, r.config().get(other)) + ", rate "
                    + r.config().get("request_rate");
            if (!groups.contains(group)) {
                groups.add(group);
            }
            series.computeIfAbsent(setting.replace('_', '-') + " " + label(setting, r.config().get(setting)),
                    k -> new LinkedHashMap<>()).put(group, r.metrics().requestThroughput());
        }
        String name = "compare_" + setting;
        return save(dir, name, "request_throughput by " + setting.replace('_', '-'), "", "request_throughput"
                + " (requests/s)", groups, series);
    }

    private static String save(Path dir, String name, String title, String xTitle, String yTitle, List<String> xs,
                               Map<String, Map<String, Double>> series) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String x : xs) {
                double y = s.getValue().getOrDefault(x, 0.0);
                ys.add(Double.isFinite(y) ? y : 0.0);
            }
            chart.addSeries(s.getKey(), xs, ys);
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name + ".png";
    }

    private static String label(String setting, Object value) {
        return setting.equals("prefix_cache") ? onOff(value) : String.valueOf(value);
    }

    private static String onOff(Object value) {
        return Boolean.TRUE.equals(value) ? "on" : "off";
    }
}
