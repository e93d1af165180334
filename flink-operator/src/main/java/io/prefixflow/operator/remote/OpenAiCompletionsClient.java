package io.prefixflow.operator.remote;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.Completions;
import io.prefixflow.operator.config.RemoteOptions;
import io.prefixflow.operator.config.RemoteSettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends one {@link InferenceRequest} to an OpenAI-compatible {@code /v1/completions} server with
 * {@link HttpClient#sendAsync} and answers with a {@link Completion}; the returned future never fails.
 *
 * <p>Connection errors, HTTP 429 and 5xx are retried up to {@link RemoteSettings#maxRetries()} times, the
 * first after {@link RemoteSettings#retryBackoffMs()} and each further one after twice the previous delay,
 * while the request's time budget ({@link RemoteSettings#timeoutMs()}) lasts. Any other 4xx, a malformed
 * body, a timed-out attempt or the last failed retry give a completion with finish reason ERROR whose error
 * names the status or the problem. Chat requests ({@code messages}) are answered with an error completion:
 * this backend speaks {@code /v1/completions}, which takes prompt text only.
 */
public final class OpenAiCompletionsClient {
    private static final int BODY_EXCERPT_CHARS = 200;

    private final RemoteSettings settings;
    private final HttpClient http;

    /** A client with its own {@link HttpClient} (HTTP/1.1, connect timeout bounded by the request timeout). */
    public OpenAiCompletionsClient(RemoteSettings settings) {
        this(settings, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Math.min(settings.timeoutMs(), 10_000)))
                .build());
    }

    OpenAiCompletionsClient(RemoteSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * Serves {@code request}.
     *
     * @param subtask the index written to {@code served_by_subtask}
     * @return a future of the completion (possibly an error completion); never completed exceptionally
     */
    public CompletableFuture<Completion> complete(InferenceRequest request, int subtask) {
        long startNanos = System.nanoTime();
        if (request.getPrompt() == null) {
            return CompletableFuture.completedFuture(error(request, "the " + RemoteOptions.SERVING_BACKEND.key()
                    + " OPENAI backend sends prompt text to /v1/completions; chat messages are not supported,"
                    + " send a prompt", subtask, startNanos));
        }
        if (request.getResponseFormat() != null) {
            // NOTE: OpenAI-compatible servers differ in how (and whether) they constrain /v1/completions, and one
            // that ignores an unknown parameter would return free text; an error is honest, free text is not.
            return CompletableFuture.completedFuture(error(request, "response_format is served only by the"
                    + " embedded engine; the " + RemoteOptions.SERVING_BACKEND.key() + " OPENAI backend does not"
                    + " constrain its output", subtask, startNanos));
        }
        String body = CompletionsJson.requestBody(request, settings.model());
        CompletableFuture<Completion> result = new CompletableFuture<>();
        attempt(request, body, 0, subtask, startNanos, result);
        return result;
    }

    private void attempt(InferenceRequest request, String body, int retry, int subtask, long startNanos,
                         CompletableFuture<Completion> result) {
        long leftMs = settings.timeoutMs() - elapsedMs(startNanos);
        if (leftMs <= 0) {
            result.complete(error(request, "no answer from " + settings.completionsUri() + " within "
                    + settings.timeoutMs() + " ms (" + RemoteOptions.TIMEOUT.key() + ")", subtask, startNanos));
            return;
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(settings.completionsUri())
                .timeout(Duration.ofMillis(leftMs))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    onFailure(request, body, retry, subtask, startNanos, result, unwrap(failure));
                } else {
                    onResponse(request, body, retry, subtask, startNanos, result, response);
                }
            } catch (RuntimeException e) {
                result.complete(error(request, "cannot handle the answer of " + settings.completionsUri() + ": "
                        + e, subtask, startNanos));
            }
        });
    }

    private void onFailure(InferenceRequest request, String body, int retry, int subtask, long startNanos,
                           CompletableFuture<Completion> result, Throwable failure) {
        if (failure instanceof HttpTimeoutException) {
            result.complete(error(request, "no answer from " + settings.completionsUri() + " within "
                    + settings.timeoutMs() + " ms (" + RemoteOptions.TIMEOUT.key() + ")", subtask, startNanos));
            return;
        }
        String problem = "cannot reach " + settings.completionsUri() + ": " + failure;
        retryOrFail(request, body, retry, subtask, startNanos, result, problem);
    }

    private void onResponse(InferenceRequest request, String body, int retry, int subtask, long startNanos,
                            CompletableFuture<Completion> result, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                result.complete(CompletionsJson.parseResponse(request, response.body(), subtask,
                        elapsedMs(startNanos)));
            } catch (CompletionsJson.MalformedResponseException e) {
                result.complete(error(request, "malformed response from " + settings.completionsUri()
                        + " (HTTP " + status + "): " + e.getMessage(), subtask, startNanos));
            }
            return;
        }
        String problem = "HTTP " + status + " from " + settings.completionsUri() + ": " + excerpt(response.body());
        if (status == 429 || status / 100 == 5) {
            retryOrFail(request, body, retry, subtask, startNanos, result, problem);
        } else {
            result.complete(error(request, problem, subtask, startNanos));
        }
    }

    private void retryOrFail(InferenceRequest request, String body, int retry, int subtask, long startNanos,
                             CompletableFuture<Completion> result, String problem) {
        long delayMs = settings.retryBackoffMs() << Math.min(retry, 20);
        if (retry >= settings.maxRetries() || elapsedMs(startNanos) + delayMs >= settings.timeoutMs()) {
            result.complete(error(request, problem + " (after " + (retry + 1) + " attempt(s); "
                    + RemoteOptions.MAX_RETRIES.key() + " " + settings.maxRetries() + ")", subtask, startNanos));
            return;
        }
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(
                () -> attempt(request, body, retry + 1, subtask, startNanos, result));
    }

    private static Completion error(InferenceRequest request, String message, int subtask, long startNanos) {
        Completion c = Completions.error(request, 0, message, subtask);
        c.setTotalMs(elapsedMs(startNanos));
        return c;
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= BODY_EXCERPT_CHARS ? flat : flat.substring(0, BODY_EXCERPT_CHARS) + "...";
    }
}
