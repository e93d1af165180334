package io.prefixflow.operator.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.connectors.avro.Completion;
import io.prefixflow.connectors.avro.CompletionChunk;
import io.prefixflow.connectors.avro.FinishReason;
import io.prefixflow.connectors.avro.InferenceRequest;
import io.prefixflow.operator.config.InferenceSettings;
import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.operator.prepare.ControlTokens;
import io.prefixflow.operator.prepare.PreparedRequest;
import io.prefixflow.operator.prepare.PromptEncoder;
import io.prefixflow.operator.testing.DirectEngine;
import io.prefixflow.operator.testing.TestRequests;
import io.prefixflow.operator.testing.TestSettings;
import io.prefixflow.runtime.engine.EngineResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.StreamTaskActionExecutor;
import org.apache.flink.streaming.runtime.tasks.mailbox.MailboxExecutorImpl;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The operator driven through Flink's test harness: serve, snapshot with requests in flight, restore, continue. */
class InferenceOperatorTest {
    private final InferenceSettings settings = TestSettings.stories();
    private final PromptEncoder encoder = new PromptEncoder(ModelSpecs.load(settings), ControlTokens.none());

    private KeyedOneInputStreamOperatorTestHarness<String, PreparedRequest, Completion> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new InferenceOperatorFactory(settings),
                PreparedRequest::getRoutingKey, Types.STRING);
    }

    private PreparedRequest prepared(InferenceRequest request) {
        return new PreparedRequest(request, encoder.encodePrompt(request.getPrompt()), "key-" + request.getId(),
                System.currentTimeMillis());
    }

    @Test
    void servesEveryRequestLikeTheEngineItself() throws Exception {
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(TestRequests.prompt("r" + i, "Once upon a time, a " + (i % 2 == 0 ? "dog" : "bird") + " saw", 30, i));
        }
        Map<String, EngineResult> expected = DirectEngine.complete(settings, requests);
        try (var h = harness()) {
            h.open();
            for (InferenceRequest r : requests) {
                h.processElement(new StreamRecord<>(prepared(r)));
            }
            drain(h, () -> completions(h).size() == requests.size());
            for (Completion c : completions(h)) {
                EngineResult e = expected.get(c.getRequestId());
                assertEquals(e.text(), c.getText(), c.getRequestId());
                assertEquals(e.tokenIds().length, c.getCompletionTokens());
                assertEquals(e.usage().promptTokens(), c.getPromptTokens());
                assertEquals(0, c.getServedBySubtask());
                assertTrue(c.getTotalMs() >= 0);
            }
        }
    }

    @Test
    void snapshotWithRequestsInFlightRestoresAndContinuesToTheSameCompletion() throws Exception {
        InferenceRequest streamed = TestRequests.prompt("long", "Once upon a time, there was a big red ball", 120, 7);
        streamed.setStream(true);
        InferenceRequest plain = TestRequests.prompt("other", "The little girl went to the park", 120, 8);
        Map<String, EngineResult> expected = DirectEngine.complete(settings, List.of(streamed, plain));

        OperatorSubtaskState snapshot;
        List<CompletionChunk> before;
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(prepared(streamed)));
            h.processElement(new StreamRecord<>(prepared(plain)));
            drain(h, () -> chunks(h).size() >= 5);
            InferenceOperator operator = (InferenceOperator) h.getOperator();
            snapshot = h.snapshot(1L, 1L);
            before = chunks(h);
            assertEquals(2, operator.numLiveRequests(), "both requests are still in flight at the snapshot");
            assertTrue(completions(h).isEmpty());
        }
        assertFalse(before.isEmpty());

        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            drain(h, () -> completions(h).size() == 2);
            for (Completion c : completions(h)) {
                EngineResult e = expected.get(c.getRequestId());
                assertEquals(e.text(), c.getText(), c.getRequestId());
                assertEquals(e.tokenIds().length, c.getCompletionTokens(), c.getRequestId());
                assertEquals(FinishReason.valueOf(e.finishReason().name()), c.getFinishReason());
            }
            List<CompletionChunk> after = chunks(h);
            assertEquals(before.size(), after.get(0).getIndex(), "chunk indices go on where they stopped");
            List<Integer> tokens = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (List<CompletionChunk> part : List.of(before, after)) {
                for (CompletionChunk chunk : part) {
                    tokens.addAll(chunk.getTokenIds());
                    text.append(chunk.getText());
                }
            }
            assertTrue(after.get(after.size() - 1).getIsFinal());
            assertArrayEquals(expected.get("long").tokenIds(), tokens.stream().mapToInt(Integer::intValue).toArray());
            assertEquals(expected.get("long").text(), text.toString());
        }
    }

    @Test
    void inFlightRequestsAreBounded() throws Exception {
        Map<String, EngineResult> expected;
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(TestRequests.prompt("b" + i, "A cat named " + i + " liked to", 12, i));
        }
        expected = DirectEngine.complete(settings, requests);
        try (var h = harness()) {
            h.open();
            InferenceOperator operator = (InferenceOperator) h.getOperator();
            int most = 0;
            for (InferenceRequest r : requests) {
                h.processElement(new StreamRecord<>(prepared(r)));
                most = Math.max(most, operator.numLiveRequests());
            }
            assertEquals(settings.maxInFlight(), most, "processElement waits while maxInFlight requests are live");
            drain(h, () -> completions(h).size() == requests.size());
            for (Completion c : completions(h)) {
                assertEquals(expected.get(c.getRequestId()).text(), c.getText());
            }
        }
    }

    /** Runs the harness's mails on this (the mailbox) thread until {@code done}, for at most 60 s. */
    @Test
    void responseFormatsConstrainTheTextAndBadOnesAreErrorCompletionsNamingTheProblem() throws Exception {
        InferenceRequest choice = TestRequests.prompt("choice", "The weather is", 20, 1);
        choice.setResponseFormat(io.prefixflow.connectors.avro.ResponseFormat.newBuilder()
                .setType(io.prefixflow.connectors.avro.ResponseFormatType.CHOICE)
                .setChoices(List.of("sunny", "rainy")).build());
        InferenceRequest unsupported = TestRequests.prompt("oneOf", "The weather is", 20, 2);
        unsupported.setResponseFormat(io.prefixflow.connectors.avro.ResponseFormat.newBuilder()
                .setType(io.prefixflow.connectors.avro.ResponseFormatType.JSON_SCHEMA)
                .setJsonSchema("{\"oneOf\":[{\"type\":\"null\"}]}").build());
        InferenceRequest malformed = TestRequests.prompt("noSchema", "The weather is", 20, 3);
        malformed.setResponseFormat(io.prefixflow.connectors.avro.ResponseFormat.newBuilder()
                .setType(io.prefixflow.connectors.avro.ResponseFormatType.JSON_SCHEMA).build());
        try (var h = harness()) {
            h.open();
            for (InferenceRequest r : List.of(choice, unsupported, malformed)) {
                h.processElement(new StreamRecord<>(prepared(r)));
            }
            drain(h, () -> completions(h).size() == 3);
            Map<String, Completion> byId = new java.util.HashMap<>();
            completions(h).forEach(c -> byId.put(c.getRequestId(), c));
            assertEquals(FinishReason.STOP, byId.get("choice").getFinishReason());
            assertTrue(List.of("sunny", "rainy").contains(byId.get("choice").getText()), byId.get("choice").getText());
            assertEquals(FinishReason.ERROR, byId.get("oneOf").getFinishReason());
            assertTrue(byId.get("oneOf").getError().contains("'oneOf'"), byId.get("oneOf").getError());
            assertEquals("", byId.get("oneOf").getText(), "never unconstrained text");
            assertEquals(FinishReason.ERROR, byId.get("noSchema").getFinishReason());
            assertTrue(byId.get("noSchema").getError().contains("needs a 'json_schema'"), byId.get("noSchema").getError());
        }
    }

    private static void drain(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, BooleanSupplier done)
            throws InterruptedException {
        MailboxExecutorImpl mails = new MailboxExecutorImpl(h.getTaskMailbox(), 0, StreamTaskActionExecutor.IMMEDIATE);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the operator");
            }
            if (!mails.tryYield()) {
                Thread.sleep(1);
            }
        }
    }

    private static List<Completion> completions(KeyedOneInputStreamOperatorTestHarness<?, ?, Completion> h) {
        return h.extractOutputValues();
    }

    private static List<CompletionChunk> chunks(KeyedOneInputStreamOperatorTestHarness<?, ?, Completion> h) {
        List<CompletionChunk> chunks = new ArrayList<>();
        var queue = h.getSideOutput(InferenceOperator.CHUNKS);
        if (queue != null) {
            queue.forEach(r -> chunks.add(r.getValue()));
        }
        return chunks;
    }
}
