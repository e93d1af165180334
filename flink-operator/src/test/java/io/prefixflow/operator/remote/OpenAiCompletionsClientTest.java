package io.prefixflow.operator.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.RemoteSettings;
import io.prefixflow.operator.testing.TestRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link OpenAiCompletionsClient} and {@link OpenAiCompletionsFunction#timeout} against {@link FakeOpenAiServer}. */
@Timeout(30)
class OpenAiCompletionsClientTest {
    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RemoteSettings settings(long timeoutMs, int maxRetries) {
        return new RemoteSettings(server.endpoint() + "/", "fake-model", 4, timeoutMs, maxRetries, 10);
    }

    private Completion complete(RemoteSettings settings, InferenceRequest request) throws Exception {
        return new OpenAiCompletionsClient(settings).complete(request, 3).get(20, TimeUnit.SECONDS);
    }

    @Test
    void mapsASuccessfulAnswerAndSendsTheSamplingParameters() throws Exception {
        InferenceRequest r = TestRequests.prompt("ok", "Once upon a time", 5, 42);
        r.setStop(List.of("."));
        r.setTopK(40);
        Completion c = complete(settings(5000, 0), r);
        assertThat(c.getRequestId()).isEqualTo("ok");
        assertThat(c.getTenant()).isEqualTo(r.getTenant());
        assertThat(c.getText()).isEqualTo("echo:Once upon a time");
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.getError()).isNull();
        assertThat(c.getPromptTokens()).isEqualTo(7);
        assertThat(c.getCompletionTokens()).isEqualTo(5);
        assertThat(c.getCachedPromptTokens()).isEqualTo(3);
        assertThat(c.getServedBySubtask()).isEqualTo(3);
        assertThat(c.getTtftMs()).isNull();
        assertThat(c.getTotalMs()).isNotNegative();
        var body = server.bodies().get(0);
        assertThat(body.path("model").asText()).isEqualTo("fake-model");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(5);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("stop").get(0).asText()).isEqualTo(".");
        assertThat(body.has("temperature")).isTrue();
        assertThat(body.has("top_p")).isTrue();
    }

    @Test
    void aResponseFormatIsAnErrorNotFreeText() throws Exception {
        InferenceRequest r = TestRequests.prompt("json", "Once upon a time", 5, 42);
        r.setResponseFormat(io.prefixflow.connectors.avro.ResponseFormat.newBuilder()
                .setType(io.prefixflow.connectors.avro.ResponseFormatType.JSON_OBJECT).build());
        Completion c = complete(settings(5000, 0), r);
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(c.getError()).contains("response_format");
        assertThat(c.getText()).isEmpty();
        assertThat(server.bodies()).isEmpty();
    }

    @Test
    void retriesA500AndA429ThenSucceeds() throws Exception {
        Completion c = complete(settings(5000, 2), TestRequests.prompt("retry", "fail-once:500", 3, 1));
        assertThat(c.getFinishReason()).as(c.getError()).isEqualTo(FinishReason.LENGTH);
        Completion c429 = complete(settings(5000, 2), TestRequests.prompt("retry429", "fail-once:429", 3, 1));
        assertThat(c429.getFinishReason()).as(c429.getError()).isEqualTo(FinishReason.LENGTH);
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @Test
    void exhaustedRetriesGiveAnErrorCompletion() throws Exception {
        Completion c = complete(settings(5000, 2), TestRequests.prompt("down", "status:503", 3, 1));
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(c.getError()).contains("HTTP 503").contains("3 attempt(s)").contains("prefixflow.openai.max-retries");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void a400IsAnErrorCompletionNamingTheStatusAndIsNotRetried() throws Exception {
        Completion c = complete(settings(5000, 3), TestRequests.prompt("bad", "status:400", 3, 1));
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(c.getError()).contains("HTTP 400").contains("/v1/completions").contains("scripted");
        assertThat(c.getText()).isEmpty();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void aMalformedBodyIsAnErrorCompletion() throws Exception {
        Completion c = complete(settings(5000, 3), TestRequests.prompt("junk", "malformed", 3, 1));
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(c.getError()).contains("malformed response");
    }

    @Test
    void anUnreachableServerIsAnErrorCompletionNamingTheUrl() throws Exception {
        String endpoint = server.endpoint();
        server.close();
        RemoteSettings s = new RemoteSettings(endpoint, null, 4, 3000, 1, 10);
        Completion c = new OpenAiCompletionsClient(s).complete(TestRequests.prompt("gone", "hi", 3, 1), 0)
                .get(20, TimeUnit.SECONDS);
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(c.getError()).contains("cannot reach " + endpoint + "/v1/completions");
    }

    @Test
    void chatMessagesAreAnsweredWithAnErrorCompletion() throws Exception {
        InferenceRequest chat = TestRequests.prompt("chat", "x", 3, 1);
        chat.setPrompt(null);
        chat.setMessages(List.of(new io.prefixflow.connectors.avro.ChatMessage("user", "hello")));
        Completion c = complete(settings(5000, 0), chat);
        assertThat(c.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(c.getError()).contains("chat messages are not supported");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aSlowServerIsAnErrorCompletionFromTheClientAndFromTimeout() throws Exception {
        RemoteSettings s = settings(300, 2);
        Completion own = complete(s, TestRequests.prompt("slow", "sleep:2000", 3, 1));
        assertThat(own.getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(own.getError()).contains("within 300 ms").contains("prefixflow.openai.timeout");

        OpenAiCompletionsFunction fn = new OpenAiCompletionsFunction(s);
        Collecting out = new Collecting();
        fn.timeout(TestRequests.prompt("slow2", "sleep:2000", 3, 1), out);
        assertThat(out.results).hasSize(1);
        assertThat(out.results.get(0).getFinishReason()).isEqualTo(FinishReason.ERROR);
        assertThat(out.results.get(0).getError()).contains("within 300 ms");
    }

    /** A {@link ResultFuture} that keeps what it gets. */
    static final class Collecting implements ResultFuture<Completion> {
        final List<Completion> results = new ArrayList<>();

        @Override
        public void complete(java.util.Collection<Completion> result) {
            results.addAll(result);
        }

        @Override
        public void completeExceptionally(Throwable error) {
            throw new AssertionError("completed exceptionally", error);
        }

        @Override
        public void complete(CollectionSupplier<Completion> supplier) {
            try {
                results.addAll(supplier.get());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }
}
