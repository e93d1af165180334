package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rejection, abort, close, crash and metrics: nothing hangs, nothing leaks, others keep being served. */
class EngineLifecycleTest {
    private final Model model = EngineTesting.stories();

    @Test
    void requestsTooLongForTheContextOrTheCacheFailFastAndOthersAreServed() throws Exception {
        int vocab = model.config().vocabSize();
        SplittableRandom random = new SplittableRandom(3);
        int[] normalPrompt = EngineTesting.randomTokens(random, 20, vocab);
        try (CpuModelRunner runner = EngineTesting.runner(model, 8);
             Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
            RequestHandle before = engine.submit(EngineRequest.greedy("before", normalPrompt, 40));
            RequestHandle tooLong = engine.submit(
                    EngineRequest.greedy("too-long", EngineTesting.randomTokens(random, 600, vocab), 10));
            RequestHandle tooBig = engine.submit(
                    EngineRequest.greedy("too-big", EngineTesting.randomTokens(random, 100, vocab), 100));
            RequestHandle badToken = engine.submit(EngineRequest.greedy("bad-token", new int[] {1, vocab}, 5));
            assertTrue(tooLong.result().isDone() && tooBig.result().isDone() && badToken.result().isDone(),
                    "rejected at submission");
            RequestHandle after = engine.submit(EngineRequest.greedy("after", normalPrompt, 40));

            EngineResult longResult = tooLong.result().get();
            assertEquals(FinishReason.ERROR, longResult.finishReason());
            assertTrue(longResult.errorMessage().contains("600 tokens")
                    && longResult.errorMessage().contains("context holds 512"), longResult.errorMessage());
            assertEquals(0, longResult.tokenIds().length);
            EngineResult bigResult = tooBig.result().get();
            assertEquals(FinishReason.ERROR, bigResult.finishReason());
            assertTrue(bigResult.errorMessage().contains("whole KV cache has 8"), bigResult.errorMessage());
            assertTrue(badToken.result().get().errorMessage().contains("outside the vocabulary"));

            int[] expected = EngineTesting.reference(model, normalPrompt, SamplingParams.greedy(40)).tokenIds();
            assertArrayEquals(expected, before.result().get(30, TimeUnit.SECONDS).tokenIds());
            assertArrayEquals(expected, after.result().get(30, TimeUnit.SECONDS).tokenIds());
            assertNull(after.result().get().errorMessage());
        }
    }

    @Test
    void abortFreesEverythingAndFinishesAsAborted() throws Exception {
        int[] prompt = EngineTesting.randomTokens(new SplittableRandom(4), 30, model.config().vocabSize());
        try (CpuModelRunner runner = EngineTesting.runner(model, 64);
             Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
            AtomicInteger streamed = new AtomicInteger();
            RequestHandle[] self = new RequestHandle[1];
            CountDownLatch submitted = new CountDownLatch(1);
            self[0] = engine.submit(new EngineRequest("long", prompt, new SamplingParams(0f, 1f, 0, 0, 400,
                    List.of()), Priority.THROUGHPUT, ""), (token, delta) -> {
                        if (streamed.incrementAndGet() == 5) {
                            awaitQuietly(submitted);
                            self[0].abort();
                        }
                    });
            RequestHandle waiting = engine.submit(EngineRequest.greedy("queued", prompt, 400));
            submitted.countDown();
            assertTrue(engine.abort("queued") || waiting.result().isDone());
            EngineResult result = self[0].result().get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.ABORTED, result.finishReason());
            assertTrue(result.tokenIds().length >= 5 && result.tokenIds().length < 400, "tokens so far");
            assertEquals(FinishReason.ABORTED, waiting.result().get(30, TimeUnit.SECONDS).finishReason());
            EngineMetrics metrics = EngineTesting.awaitIdle(engine);
            assertEquals(0, metrics.numUsedBlocks(), "an aborted request holds no block");
            assertEquals(0, metrics.numRunning());
            assertTrue(!engine.abort("long"), "a finished request cannot be aborted again");
        }
    }

    @Test
    void closeAbortsWhatIsPendingAndLaterSubmissionsThrow() throws Exception {
        int[] prompt = EngineTesting.randomTokens(new SplittableRandom(5), 10, model.config().vocabSize());
        List<RequestHandle> handles = new ArrayList<>();
        try (CpuModelRunner runner = EngineTesting.runner(model, 64)) {
            Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT);
            for (int i = 0; i < 4; i++) {
                handles.add(engine.submit(EngineRequest.greedy("r" + i, prompt, 400)));
            }
            engine.close();
            for (RequestHandle handle : handles) {
                FinishReason reason = handle.result().get(30, TimeUnit.SECONDS).finishReason();
                assertTrue(reason == FinishReason.ABORTED || reason == FinishReason.LENGTH
                        || reason == FinishReason.STOP, reason.toString());
            }
            assertThrows(IllegalStateException.class, () -> engine.submit(EngineRequest.greedy("late", prompt, 4)));
            engine.close();
        }
    }

    @Test
    void aHugeMaxTokensEndsAtTheContextAndTheEngineServesOn() throws Exception {
        Model noStops = new Model(model.name(), model.config(), model.weights(), model.tokenizer(),
                Set.of(), null);
        int[] nearlyFull = new int[EngineTesting.CONTEXT - 5];
        Arrays.fill(nearlyFull, EngineTesting.FIRST_PLAIN_TOKEN);
        int[] prompt = EngineTesting.randomTokens(new SplittableRandom(9), 10, model.config().vocabSize());
        try (CpuModelRunner runner = EngineTesting.runner(model, 64);
             Engine engine = Engine.start(noStops, runner, SchedulerConfig.DEFAULT)) {
            EngineResult huge = engine.submit(EngineRequest.greedy("huge", nearlyFull, Integer.MAX_VALUE))
                    .result().get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.LENGTH, huge.finishReason());
            assertEquals(6, huge.tokenIds().length, "5 free positions plus the token sampled at the last one");
            EngineResult next = engine.submit(EngineRequest.greedy("next", prompt, 4)).result().get(30, TimeUnit.SECONDS);
            assertEquals(4, next.tokenIds().length);
        }
    }

    @Test
    void aCrashOfTheEngineThreadFailsEveryPendingFuture() throws Exception {
        int[] prompt = EngineTesting.randomTokens(new SplittableRandom(6), 10, model.config().vocabSize());
        try (CpuModelRunner cpu = EngineTesting.runner(model, 64);
             GatedRunner gate = new GatedRunner(new FailingRunner(cpu, 3));
             Engine engine = Engine.start(model, gate, SchedulerConfig.DEFAULT)) {
            List<CompletableFuture<EngineResult>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(engine.submit(EngineRequest.greedy("r" + i, prompt, 100)).result());
            }
            gate.open();
            for (CompletableFuture<EngineResult> future : futures) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
                assertInstanceOf(IllegalStateException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("simulated device failure"), e.getCause().getMessage());
            }
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> engine.submit(EngineRequest.greedy("late", prompt, 4)));
            assertTrue(late.getMessage().contains("simulated device failure"));
        }
    }

    @Test
    void outstandingTokensCountRequestsSubmittedDuringALongStep() throws Exception {
        int[] prompt = EngineTesting.randomTokens(new SplittableRandom(12), 10, model.config().vocabSize());
        try (CpuModelRunner cpu = EngineTesting.runner(model, 64);
             GatedRunner gate = new GatedRunner(cpu);
             Engine engine = Engine.start(model, gate, SchedulerConfig.DEFAULT)) {
            CompletableFuture<EngineResult> first = engine.submit(EngineRequest.greedy("a", prompt, 100)).result();
            // the engine thread takes "a" and its first step waits at the gate: the last step's stats say nothing
            CompletableFuture<EngineResult> second = engine.submit(EngineRequest.greedy("b", prompt, 50)).result();
            assertEquals((10 + 100) + (10 + 50), engine.outstandingTokens(),
                    "a request submitted while a step runs counts, whole prompt plus max_tokens");
            // one more on the same prompt grown to three full blocks: it counts only what "b" does not share
            int[] longer = Arrays.copyOf(prompt, 3 * EngineTesting.BLOCK_SIZE + 2);
            System.arraycopy(prompt, 0, longer, 10, 10);
            CompletableFuture<EngineResult> third = engine.submit(EngineRequest.greedy("c", longer, 20)).result();
            assertEquals((10 + 100) + (10 + 50) + (longer.length + 20), engine.outstandingTokens(),
                    "10 tokens are no full block: nothing is shared yet");
            CompletableFuture<EngineResult> fourth = engine.submit(EngineRequest.greedy("d", longer, 20)).result();
            assertEquals((10 + 100) + (10 + 50) + (longer.length + 20) + (2 + 20), engine.outstandingTokens(),
                    "the three full blocks \"c\" brings count once");
            gate.open();
            for (CompletableFuture<EngineResult> f : List.of(first, second, third, fourth)) {
                f.get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (engine.outstandingTokens() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, engine.outstandingTokens(), "nothing is counted twice once all are done");
        }
    }

    @Test
    void duplicateLiveIdsAreRejected() throws Exception {
        int[] prompt = EngineTesting.randomTokens(new SplittableRandom(8), 10, model.config().vocabSize());
        try (CpuModelRunner runner = EngineTesting.runner(model, 64);
             Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
            RequestHandle first = engine.submit(EngineRequest.greedy("same", prompt, 300));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.submit(EngineRequest.greedy("same", prompt, 3)));
            assertTrue(e.getMessage().contains("same"));
            first.result().get(30, TimeUnit.SECONDS);
            assertEquals(3, engine.submit(EngineRequest.greedy("same", prompt, 3)).result().get().tokenIds().length,
                    "a finished id may be used again");
        }
    }

    @Test
    void metricsCountTokensAndLatencies() throws Exception {
        int vocab = model.config().vocabSize();
        SplittableRandom random = new SplittableRandom(9);
        List<EngineRequest> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(EngineRequest.greedy("m" + i, EngineTesting.randomTokens(random, 10 + i, vocab), 12));
        }
        try (CpuModelRunner runner = EngineTesting.runner(model, 64);
             Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
            List<EngineResult> results = EngineTesting.runAll(engine, requests);
            EngineMetrics metrics = EngineTesting.awaitIdle(engine);
            long intervals = 0;
            for (EngineResult result : results) {
                intervals += result.tokenIds().length - 1;
                assertTrue(result.timings().totalMs() >= result.timings().timeToFirstTokenMs());
                assertTrue(result.timings().timeToFirstTokenMs() >= result.timings().queuedMs());
            }
            assertEquals(5, metrics.timeToFirstToken().count());
            assertEquals(intervals, metrics.timePerOutputToken().count());
            assertEquals(5, metrics.numFinished());
            assertEquals(0, metrics.numWaiting());
            assertTrue(metrics.peakUsedBlocks() >= 5, "five prompts ran together");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delegates to a real runner and throws on its {@code failAt}-th forward step. */
    private static final class FailingRunner implements ModelRunner {
        private final ModelRunner delegate;
        private final int failAt;
        private int numSteps;

        FailingRunner(ModelRunner delegate, int failAt) {
            this.delegate = delegate;
            this.failAt = failAt;
        }

        @Override
        public ModelConfig config() {
            return delegate.config();
        }

        @Override
        public int blockSize() {
            return delegate.blockSize();
        }

        @Override
        public int numBlocks() {
            return delegate.numBlocks();
        }

        @Override
        public float[][] forward(ForwardBatch batch) {
            if (++numSteps == failAt) {
                throw new IllegalStateException("simulated device failure");
            }
            return delegate.forward(batch);
        }

        @Override
        public void close() {
        }
    }
}
