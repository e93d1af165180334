package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.testing.GreedyReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine gives every request the tokens it gets alone: on run.c's stories260K reference cases and
 * on random mixes (shared prefixes, sampling with seeds, stop strings, both priority classes), with the
 * prefix cache on and off, at step budgets 16, 64 and 512, and with a KV cache so small that requests
 * are preempted and recomputed.
 */
class EngineEquivalenceTest {

    @ParameterizedTest(name = "prefixCaching={0}, maxBatchedTokens={1}, numBlocks={2}")
    @CsvSource({
        "true, 16, 256", "true, 64, 256", "true, 512, 256",
        "false, 16, 256", "false, 64, 256", "false, 512, 256",
        "true, 64, 20", "false, 512, 20"})
    void referenceCasesGiveRunCsGreedyTokens(boolean prefixCaching, int maxBatchedTokens, int numBlocks)
            throws Exception {
        Model model = EngineTesting.stories();
        List<GreedyReference.Case> cases = GreedyReference.cases();
        List<EngineRequest> requests = new ArrayList<>();
        for (GreedyReference.Case c : cases) {
            requests.add(EngineRequest.greedy(c.id(), c.promptIds(), c.generatedIds().length));
        }
        SchedulerConfig config = new SchedulerConfig(maxBatchedTokens, 8, prefixCaching);
        try (CpuModelRunner runner = EngineTesting.runner(model, numBlocks);
             GatedRunner gate = new GatedRunner(runner);
             Engine engine = Engine.start(model, gate, config)) {
            List<EngineResult> results = EngineTesting.runAll(engine, requests, gate);
            for (int i = 0; i < cases.size(); i++) {
                assertArrayEquals(cases.get(i).generatedIds(), results.get(i).tokenIds(), "case " + cases.get(i).id());
            }
            EngineMetrics metrics = EngineTesting.awaitIdle(engine);
            assertEquals(0, metrics.numUsedBlocks(), "every block is released");
            if (numBlocks < 32) {
                assertTrue(metrics.numPreemptions() > 0, "a cache of " + numBlocks + " blocks must force preemption");
            }
            if (!prefixCaching) {
                assertEquals(0, metrics.numCachedBlocks());
                assertEquals(0, metrics.numPrefixHitTokens());
            }
        }
    }

    @ParameterizedTest(name = "seed={0}, prefixCaching={1}, maxBatchedTokens={2}, numBlocks={3}")
    @CsvSource({
        "1, true, 16, 20", "2, true, 64, 512", "3, false, 64, 16", "4, true, 512, 24", "5, false, 512, 512"})
    void randomMixesMatchTheSingleRequestLoop(long seed, boolean prefixCaching, int maxBatchedTokens, int numBlocks)
            throws Exception {
        Model model = EngineTesting.stories();
        int vocab = model.config().vocabSize();
        SplittableRandom random = new SplittableRandom(seed);
        int[][] documents = {
            EngineTesting.randomTokens(random, 40, vocab), EngineTesting.randomTokens(random, 97, vocab)};
        List<EngineRequest> requests = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            int[] suffix = EngineTesting.randomTokens(random, 1 + random.nextInt(30), vocab);
            int[] prompt = random.nextInt(4) == 0 ? suffix
                    : EngineTesting.concat(documents[random.nextInt(documents.length)], suffix);
            boolean sampled = random.nextBoolean();
            SamplingParams params = new SamplingParams(sampled ? 0.9f : 0f, sampled ? 0.95f : 1f,
                    sampled ? 40 : 0, random.nextLong(), 1 + random.nextInt(60),
                    random.nextInt(5) == 0 ? List.of("the", ".") : List.of());
            requests.add(new EngineRequest("r" + i, prompt, params,
                    random.nextInt(3) == 0 ? Priority.LATENCY : Priority.THROUGHPUT, random.nextInt(4) == 0 ? "b" : ""));
        }
        SchedulerConfig config = new SchedulerConfig(maxBatchedTokens, 6, prefixCaching);
        try (CpuModelRunner runner = EngineTesting.runner(model, numBlocks);
             GatedRunner gate = new GatedRunner(runner);
             Engine engine = Engine.start(model, gate, config)) {
            List<EngineResult> results = EngineTesting.runAll(engine, requests, gate);
            for (int i = 0; i < requests.size(); i++) {
                EngineRequest request = requests.get(i);
                GenerationResult expected = EngineTesting.reference(model, request.promptTokenIds(), request.params());
                EngineResult got = results.get(i);
                assertArrayEquals(expected.tokenIds(), got.tokenIds(), request.id() + " tokens");
                assertEquals(expected.text(), got.text(), request.id() + " text");
                assertEquals(expected.finishReason(), got.finishReason(), request.id() + " finish reason");
                assertEquals(FinishReason.class, got.finishReason().getClass());
                assertEquals(request.promptTokenIds().length, got.usage().promptTokens());
                assertEquals(got.tokenIds().length, got.usage().completionTokens());
            }
            EngineMetrics metrics = EngineTesting.awaitIdle(engine);
            assertEquals(0, metrics.numUsedBlocks(), "every block is released");
            if (numBlocks < 64) {
                assertTrue(metrics.numPreemptions() > 0, "a cache of " + numBlocks + " blocks must force preemption");
            }
            if (prefixCaching && numBlocks >= 64) {
                assertTrue(metrics.numPrefixHitTokens() > 0, "shared documents must hit the prefix cache");
            }
        }
    }
}
