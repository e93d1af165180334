package io.prefixflow.jobs.routingsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.engine.SchedulerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One simulated subtask on tiny cases. */
class SimEngineTest {
    /** 1000 prefill tokens/s (1 ms a token); decode 10 ms at 1, 20 ms at 4. */
    static final CostModel COST = new CostModel(1000, new int[] {1, 4}, new double[] {10, 20});
    private static final int BLOCK = 16;

    private static SimRequest request(String id, int[] prompt, int maxTokens, double arrivalMs) {
        return new SimRequest(id, "test", null, prompt, IntStream.range(0, maxTokens).map(i -> 7 + i).toArray(),
                arrivalMs);
    }

    private static int[] prompt(int length, int first) {
        return IntStream.range(0, length).map(i -> first + i).toArray();
    }

    private static SimEngine engine(int numBlocks, SchedulerConfig config) {
        return new SimEngine(0, config, new KvCacheManager(new BlockPool(numBlocks), BLOCK), numBlocks, 4096, COST);
    }

    @Test
    void aPromptsSecondCopyHitsTheCache() {
        SimEngine engine = engine(64, SchedulerConfig.DEFAULT);
        int[] prompt = prompt(64, 1);
        SimRun run = Simulation.run(List.of(request("a", prompt, 2, 0), request("b", prompt, 2, 1000)),
                List.of(engine), (i, r, t) -> 0);
        RequestOutcome first = run.outcomes().get(0);
        RequestOutcome second = run.outcomes().get(1);
        assertEquals(0, first.cachedPromptTokens());
        assertEquals(48, second.cachedPromptTokens(), "all full blocks but the one holding the last token");
        assertEquals(48.0 / 128, run.hitRate(), 1e-9);
        // a: 64 prefill (64 ms) + 1 decode (10 ms), finishing at 74 ms; b: 16 tokens then 1 decode.
        assertEquals(74, first.latencyMs(), 1e-9);
        assertEquals(26, second.latencyMs(), 1e-9);
    }

    @Test
    void busyTimeIsTheSumOfStepTimes() {
        SimEngine engine = engine(64, SchedulerConfig.DEFAULT);
        List<SimRequest> requests = List.of(request("a", prompt(20, 1), 3, 0), request("b", prompt(20, 100), 3, 0));
        double sumMs = 0;
        for (SimRequest r : requests) {
            engine.add(r);
        }
        double nowMs = 0;
        List<RequestOutcome> finished = new ArrayList<>();
        while (engine.hasWork()) {
            double endMs = engine.tryStart(nowMs);
            sumMs += endMs - nowMs;
            nowMs = endMs;
            finished.addAll(engine.completeStep());
        }
        // Step 1: both prompts (40 tokens, 40 ms); then 2 decode steps of 2 sequences (10 + 10/3 ms each).
        assertEquals(40 + 2 * (10 + 10.0 / 3), sumMs, 1e-9);
        assertEquals(sumMs, engine.busyMs(), 1e-9);
        assertEquals(3, engine.numSteps());
        assertEquals(2, finished.size());
        assertEquals(nowMs, finished.get(1).finishMs(), 1e-9);
    }

    @Test
    void preemptionFreesBlocksAndEveryRequestStillFinishes() {
        // 6 blocks of 16: two 40-token prompts (3 blocks each) fill the pool; their decodes need a 4th block.
        int numBlocks = 6;
        KvCacheManager kv = new KvCacheManager(new BlockPool(numBlocks), BLOCK);
        SimEngine engine = new SimEngine(0, SchedulerConfig.DEFAULT, kv, numBlocks, 4096, COST);
        SimRun run = Simulation.run(List.of(request("a", prompt(47, 1), 20, 0), request("b", prompt(47, 500), 20, 0)),
                List.of(engine), (i, r, t) -> 0);
        assertTrue(engine.numPreemptions() > 0, "the pool cannot hold both sequences to the end");
        assertEquals(2, run.outcomes().size());
        assertEquals(numBlocks, kv.numFreeBlocks(), "every block is free again after both finished");
        assertEquals(0, kv.stats().numRunningRequests());
    }
}
