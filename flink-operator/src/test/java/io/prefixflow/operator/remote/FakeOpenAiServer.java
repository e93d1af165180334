package io.prefixflow.operator.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-compatible server on 127.0.0.1 (an ephemeral port) for tests: {@code GET /v1/models} and
 * {@code POST /v1/completions}. What it answers is scripted by the prompt:
 * <ul>
 *   <li>{@code status:NNN} — always HTTP NNN with an error body;</li>
 *   <li>{@code fail-once:NNN} — HTTP NNN the first time this prompt arrives, then success;</li>
 *   <li>{@code malformed} — HTTP 200 with a body that is not JSON;</li>
 *   <li>{@code sleep:MS} — waits MS milliseconds, then success;</li>
 *   <li>anything else — success: text {@code "echo:" + prompt}, finish reason "length", usage with
 *       prompt_tokens 7, completion_tokens = max_tokens and cached_tokens 3.</li>
 * </ul>
 * Every request to {@code /v1/completions} is also held {@link #setDelayMs delay} ms; it counts requests and
 * the most it ever had open at once.
 */
final class FakeOpenAiServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private volatile long delayMs;

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/completions", this::completions);
        server.createContext("/v1/models", exchange -> send(exchange, 200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"fake-model\",\"object\":\"model\"}]}"));
        server.setExecutor(executor);
        server.start();
    }

    /** Base URL, e.g. http://127.0.0.1:PORT. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void setDelayMs(long delayMs) {
        this.delayMs = delayMs;
    }

    int maxConcurrent() {
        return maxOpen.get();
    }

    int requestCount() {
        return requests.get();
    }

    List<JsonNode> bodies() {
        return bodies;
    }

    private void completions(HttpExchange exchange) throws IOException {
        int now = open.incrementAndGet();
        maxOpen.accumulateAndGet(now, Math::max);
        requests.incrementAndGet();
        try {
            JsonNode body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            bodies.add(body);
            String prompt = body.path("prompt").asText();
            sleep(delayMs);
            int attempt = seen.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
            if (prompt.startsWith("status:")) {
                send(exchange, Integer.parseInt(prompt.substring(7, 10)), "{\"error\":{\"message\":\"scripted\"}}");
            } else if (prompt.startsWith("fail-once:") && attempt == 1) {
                send(exchange, Integer.parseInt(prompt.substring(10, 13)), "{\"error\":{\"message\":\"try again\"}}");
            } else if (prompt.startsWith("malformed")) {
                send(exchange, 200, "this is not json {");
            } else {
                if (prompt.startsWith("sleep:")) {
                    sleep(Long.parseLong(prompt.substring(6).split("\\D", 2)[0]));
                }
                int maxTokens = body.path("max_tokens").asInt();
                String answer = MAPPER.createObjectNode()
                        .put("id", "cmpl-1").put("object", "text_completion")
                        .set("choices", MAPPER.createArrayNode().add(MAPPER.createObjectNode()
                                .put("index", 0).put("text", "echo:" + prompt).put("finish_reason", "length")))
                        .toString();
                JsonNode withUsage = MAPPER.readTree(answer);
                ((com.fasterxml.jackson.databind.node.ObjectNode) withUsage).set("usage", MAPPER.createObjectNode()
                        .put("prompt_tokens", 7).put("completion_tokens", maxTokens).put("total_tokens", 7 + maxTokens)
                        .set("prompt_tokens_details", MAPPER.createObjectNode().put("cached_tokens", 3)));
                send(exchange, 200, withUsage.toString());
            }
        } catch (IOException | RuntimeException e) {
            send(exchange, 500, "fake server failed: " + e);
        } finally {
            open.decrementAndGet();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // the client gave up (timed out) while the server slept; nothing left to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
