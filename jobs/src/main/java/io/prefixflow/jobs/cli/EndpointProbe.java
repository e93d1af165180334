package io.prefixflow.jobs.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Checks once, before a job starts, that an OpenAI-compatible server answers: {@code GET {endpoint}/v1/models}
 * within a time-out. Any HTTP answer below 500 counts as reachable (a server may guard the model list).
 */
final class EndpointProbe {
    private EndpointProbe() {
    }

    /**
     * @throws IllegalStateException naming the URL when the server does not answer, or answers with a 5xx
     */
    static void check(String endpoint, Duration timeout) {
        String base = endpoint.replaceAll("/+$", "");
        URI uri = URI.create(base + "/v1/models");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        int status;
        try {
            status = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing --endpoint " + uri, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the OpenAI-compatible server at --endpoint " + endpoint
                    + " (GET " + uri + " within " + timeout.toMillis() + " ms: " + e + ")", e);
        }
        if (status >= 500) {
            throw new IllegalStateException("the OpenAI-compatible server at --endpoint " + endpoint
                    + " is not healthy: GET " + uri + " answered HTTP " + status);
        }
    }
}
