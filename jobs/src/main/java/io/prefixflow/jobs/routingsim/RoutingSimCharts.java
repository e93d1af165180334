package io.prefixflow.jobs.routingsim;

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
 * PNG charts (XChart) of a routing simulation, per workload: {@code throughput_vs_ideal} and
 * {@code hit_rate_vs_single_engine} by parallelism, one series per routing mode.
 */
final class RoutingSimCharts {
    private RoutingSimCharts() {
    }

    static List<String> write(Path dir, List<ModeResult> results) throws IOException {
        List<String> files = new ArrayList<>();
        List<String> workloads = results.stream().map(ModeResult::workload).distinct().toList();
        for (String workload : workloads) {
            List<ModeResult> rows = results.stream()
                    .filter(r -> r.workload().equals(workload) && !r.mode().equals("ideal")).toList();
            files.add(chart(dir, workload, "throughput_vs_ideal", rows, ModeResult::throughputVsIdeal));
            files.add(chart(dir, workload, "hit_rate_vs_single_engine", rows, ModeResult::hitRateVsSingleEngine));
        }
        return files;
    }

    private static String chart(Path dir, String workload, String metric, List<ModeResult> rows,
                                ToDoubleFunction<ModeResult> value) throws IOException {
        List<String> xs = rows.stream().map(r -> String.valueOf(r.parallelism())).distinct().toList();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (ModeResult r : rows) {
            series.computeIfAbsent(r.mode(), k -> new LinkedHashMap<>())
                    .put(String.valueOf(r.parallelism()), value.applyAsDouble(r));
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
                .title(workload + ": " + metric + " by parallelism").xAxisTitle("parallelism (subtasks)")
                .yAxisTitle(metric).build();
        for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String x : xs) {
                double y = s.getValue().getOrDefault(x, 0.0);
                ys.add(Double.isFinite(y) ? y : 0.0);
            }
            chart.addSeries(s.getKey(), xs, ys);
        }
        String name = workload + "-" + metric.replace('_', '-');
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name + ".png";
    }
}
