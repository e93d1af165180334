package io.prefixflow.jobs.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The engines' KV blocks, scraped from a TaskManager's Prometheus endpoint: the sums over its engines of
 * {@code flink_taskmanager_job_task_operator_prefixflow_usedKvBlocks} (held by running requests) and
 * {@code ..._cachedKvBlocks} (kept for prefix reuse).
 *
 * @param usedBlocks   KV blocks in use
 * @param cachedBlocks KV blocks cached
 */
record EngineMetrics(double usedBlocks, double cachedBlocks) {
    static final String PREFIX = "flink_taskmanager_job_task_operator_prefixflow_";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    EngineMetrics plus(EngineMetrics other) {
        return new EngineMetrics(usedBlocks + other.usedBlocks, cachedBlocks + other.cachedBlocks);
    }

    /** Scrapes {@code http://127.0.0.1:<port>/metrics}; NaN for a metric not reported (yet). */
    static EngineMetrics scrape(int port) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        String body;
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + request.uri() + ": HTTP " + response.statusCode());
            }
            body = response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: GET " + request.uri(), e);
        }
        return parse(body);
    }

    /** Sums the two metrics over every label set of a Prometheus text exposition. */
    static EngineMetrics parse(String exposition) {
        double used = Double.NaN;
        double cached = Double.NaN;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace >= 0 ? brace : space);
            if (name.equals(PREFIX + "usedKvBlocks")) {
                used = (Double.isNaN(used) ? 0 : used) + Double.parseDouble(line.substring(space + 1));
            } else if (name.equals(PREFIX + "cachedKvBlocks")) {
                cached = (Double.isNaN(cached) ? 0 : cached) + Double.parseDouble(line.substring(space + 1));
            }
        }
        return new EngineMetrics(used, cached);
    }
}
