package io.prefixflow.connectors.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.prefixflow.connectors.Requests;
import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

    @Test
    void promptAndChatRequestsWithDefaultsAreValid() {
        assertThat(RequestValidator.validate(Requests.prompt("r1", "Once upon a time")).isValid()).isTrue();
        assertThat(RequestValidator.validate(Requests.chat("r2")).isValid()).isTrue();
    }

    @Test
    void greedyAndBoundaryParametersAreValid() {
        InferenceRequest r = Requests.prompt("r1", "x");
        r.setTemperature(0f);
        r.setTopP(1f);
        r.setTopK(0);
        r.setMaxTokens(1);
        assertThat(RequestValidator.validate(r).isValid()).isTrue();
    }

    @Test
    void missingIdentity() {
        assertReason(r -> r.setId(" "), "id is missing or blank");
        assertReason(r -> r.setTenant(""), "tenant is missing or blank");
    }

    @Test
    void promptShape() {
        assertReason(r -> r.setPrompt(null), "neither prompt nor messages is set");
        assertReason(r -> r.setMessages(List.of(new ChatMessage("user", "hi"))), "both prompt and messages are set");
        assertReason(r -> r.setPrompt(""), "prompt is empty");
        assertReason(r -> {
            r.setPrompt(null);
            r.setMessages(List.of());
        }, "messages is empty");
        assertReason(r -> {
            r.setPrompt(null);
            r.setMessages(List.of(new ChatMessage("user", "hi"), new ChatMessage(" ", "x")));
        }, "messages[1].role is missing or blank");
        assertReason(r -> r.setCacheKey(" "), "cache_key is blank");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void maxTokensMustBePositive(int maxTokens) {
        assertReason(r -> r.setMaxTokens(maxTokens), "max_tokens must be >= 1, was " + maxTokens);
    }

    @ParameterizedTest
    @ValueSource(floats = {-0.5f, Float.NaN, Float.POSITIVE_INFINITY})
    void temperatureMustBeFiniteAndNonNegative(float temperature) {
        assertReason(r -> r.setTemperature(temperature), "temperature must be a finite number >= 0");
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -0.1f, 1.0001f, Float.NaN})
    void topPMustBeInHalfOpenUnitInterval(float topP) {
        assertReason(r -> r.setTopP(topP), "top_p must be in (0, 1]");
    }

    @Test
    void topKAndStopStrings() {
        assertReason(r -> r.setTopK(-1), "top_k must be >= 0");
        assertReason(r -> r.setStop(List.of("END", "")), "stop[1] is empty");
    }

    private static void assertReason(Consumer<InferenceRequest> breakIt, String expected) {
        InferenceRequest r = Requests.prompt("r1", "Once upon a time");
        breakIt.accept(r);
        ValidationResult result = RequestValidator.validate(r);
        assertThat(result.isValid()).isFalse();
        assertThat(result.reason()).contains(expected);
    }
}
