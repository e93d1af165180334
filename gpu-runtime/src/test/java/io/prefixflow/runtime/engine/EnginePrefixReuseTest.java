package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests sharing a prompt prefix reuse its blocks, within one cache salt only, and only when caching is on. */
class EnginePrefixReuseTest {
    private static Model model;
    private static int[] sharedPrefix;

    @BeforeAll
    static void load() {
        model = EngineTesting.stories();
        sharedPrefix = EngineTesting.randomTokens(new SplittableRandom(7), 200, model.config().vocabSize());
    }

    @Test
    void secondRequestSharingA200TokenPrefixReusesAtLeast192Tokens() throws Exception {
        EngineResult[] results = firstThenSecond("", "", true);
        assertEquals(0, results[0].usage().cachedPromptTokens());
        assertTrue(results[1].usage().cachedPromptTokens() >= 192,
                "cached prompt tokens: " + results[1].usage().cachedPromptTokens());
        assertEquals(208, results[1].usage().promptTokens());
        assertArrayEquals(EngineTesting.reference(model, second(), SamplingParams.greedy(20)).tokenIds(),
                results[1].tokenIds(), "reused KV gives the tokens of a full computation");
    }

    @Test
    void differentCacheSaltsShareNothing() throws Exception {
        EngineResult[] results = firstThenSecond("tenant-a", "tenant-b", true);
        assertEquals(0, results[1].usage().cachedPromptTokens());
        EngineResult[] sameTenant = firstThenSecond("tenant-a", "tenant-a", true);
        assertTrue(sameTenant[1].usage().cachedPromptTokens() >= 192, "control: the same salt shares");
    }

    @Test
    void withPrefixCachingOffNothingIsReused() throws Exception {
        EngineResult[] results = firstThenSecond("", "", false);
        assertEquals(0, results[1].usage().cachedPromptTokens());
        assertArrayEquals(EngineTesting.reference(model, second(), SamplingParams.greedy(20)).tokenIds(),
                results[1].tokenIds());
    }

    private static EngineResult[] firstThenSecond(String firstSalt, String secondSalt, boolean prefixCaching)
            throws Exception {
        SchedulerConfig config = SchedulerConfig.DEFAULT.withPrefixCaching(prefixCaching);
        try (CpuModelRunner runner = EngineTesting.runner(model, 128);
             Engine engine = Engine.start(model, runner, config)) {
            int[] first = EngineTesting.concat(sharedPrefix, new int[] {5, 6, 7, 8, 9});
            EngineResult a = engine.submit(new EngineRequest("a", first, SamplingParams.greedy(20),
                    Priority.THROUGHPUT, firstSalt)).result().get();
            EngineResult b = engine.submit(new EngineRequest("b", second(), SamplingParams.greedy(20),
                    Priority.THROUGHPUT, secondSalt)).result().get();
            EngineMetrics metrics = EngineTesting.awaitIdle(engine);
            assertEquals(b.usage().cachedPromptTokens(), metrics.numPrefixHitTokens());
            assertEquals(2, metrics.numPrefixLookups());
            return new EngineResult[] {a, b};
        }
    }

    private static int[] second() {
        return EngineTesting.concat(sharedPrefix, new int[] {11, 12, 13, 14, 15, 16, 17, 18});
    }
}
