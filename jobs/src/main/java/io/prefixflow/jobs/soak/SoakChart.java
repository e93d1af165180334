package io.prefixflow.jobs.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * One PNG (XChart) of a soak run, six panels over time in minutes: heap after GC and RSS per process, KV blocks
 * used and cached, the latest checkpoint's state size, p99 latency, completions per interval. The x-axis title
 * names the warm-up that the slopes leave out.
 */
final class SoakChart {
    private static final double MIB = 1024.0 * 1024.0;

    private SoakChart() {
    }

    static void write(Path file, List<Sample> samples, double warmUpS) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Map<String, Double>> rows = samples.stream().map(Sample::columns).toList();
        String x = "minutes (slopes after " + Math.round(warmUpS / 60.0 * 10) / 10.0 + " min of warm-up)";
        List<XYChart> charts = List.of(
                panel("heap after full GC (MiB)", x, rows, c -> c.endsWith("_heap_after_gc_mib"), 1),
                panel("RSS (MiB)", x, rows, c -> c.endsWith("_rss_mib"), 1),
                panel("KV blocks (all engines)", x, rows, c -> c.startsWith("kv_"), 1),
                panel("latest checkpoint state (MiB)", x, rows, c -> c.equals("checkpoint_state_bytes"), MIB),
                panel("p99 latency, sent -> committed completion (ms)", x, rows, c -> c.equals("p99_ms"), 1),
                panel("completions per sample interval", x, rows, c -> c.equals("completed_in_interval"), 1));
        BitmapEncoder.saveBitmap(charts, 3, 2, file.toString().replaceFirst("\\.png$", ""),
                BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart panel(String title, String xTitle, List<Map<String, Double>> rows,
                                 Predicate<String> columns, double divisor) {
        XYChart chart = new XYChartBuilder().width(700).height(400).title(title).xAxisTitle(xTitle).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        if (rows.isEmpty()) {
            return chart;
        }
        for (String column : rows.get(0).keySet()) {
            if (!columns.test(column)) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Map<String, Double> row : rows) {
                double y = row.getOrDefault(column, Double.NaN);
                if (Double.isFinite(y)) {
                    xs.add(row.get("t_s") / 60.0);
                    ys.add(y / divisor);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(column, xs, ys).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            }
        }
        return chart;
    }
}
