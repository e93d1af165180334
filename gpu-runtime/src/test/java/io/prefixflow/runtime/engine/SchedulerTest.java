package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.manager.KvCacheManager;
import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admission order, the token budget, chunking and the choice of preemption victim, step by step. */
class SchedulerTest {
    private static final int BLOCK_SIZE = 4;

    @Test
    void latencyRequestsAreAdmittedFirstThenArrivalOrder() {
        Scheduler scheduler = scheduler(64, new SchedulerConfig(100, 1, true));
        scheduler.add(request("t1", 3, Priority.THROUGHPUT));
        scheduler.add(request("t2", 3, Priority.THROUGHPUT));
        scheduler.add(request("l1", 3, Priority.LATENCY));
        assertEquals(List.of("l1"), ids(runOneToken(scheduler)));
        scheduler.finish("l1");
        assertEquals(List.of("t1"), ids(runOneToken(scheduler)));
        scheduler.finish("t1");
        assertEquals(List.of("t2"), ids(runOneToken(scheduler)));
    }

    @Test
    void longPromptsArePrefilledInChunksUnderTheBudgetAndDecodesGoFirst() {
        Scheduler scheduler = scheduler(64, new SchedulerConfig(8, 4, true));
        scheduler.add(request("a", 3, Priority.THROUGHPUT));
        StepPlan first = scheduler.schedule();
        assertEquals(3, first.numScheduledTokens());
        scheduler.completeStep(first);
        scheduler.appendToken("a", 7);
        scheduler.add(request("b", 20, Priority.THROUGHPUT));
        StepPlan second = scheduler.schedule();
        assertEquals(List.of("a", "b"), ids(second));
        assertEquals(1, second.sequences().get(0).numTokens(), "a decodes one token");
        assertEquals(7, second.sequences().get(1).numTokens(), "b gets what is left of the budget of 8");
        assertFalse(second.sequences().get(1).samplesToken(), "a partial prefill samples nothing");
        assertTrue(second.sequences().get(0).samplesToken());
    }

    @Test
    void whenBlocksRunOutTheLatestLowestPriorityRequestIsPreempted() {
        // 6 blocks of 4 tokens: three 8-token prompts fill 2 blocks each; the first decode needs a 7th block.
        Scheduler scheduler = scheduler(6, new SchedulerConfig(100, 8, true));
        scheduler.add(request("t-early", 8, Priority.THROUGHPUT));
        scheduler.add(request("l", 8, Priority.LATENCY));
        scheduler.add(request("t-late", 8, Priority.THROUGHPUT));
        StepPlan prefill = scheduler.schedule();
        assertEquals(3, prefill.sequences().size());
        scheduler.completeStep(prefill);
        for (ScheduledSequence s : prefill.sequences()) {
            scheduler.appendToken(s.requestId(), 9);
        }
        StepPlan decode = scheduler.schedule();
        assertEquals(List.of("t-late"), decode.preemptedRequestIds());
        assertEquals(List.of("l", "t-early"), ids(decode));
        assertEquals(1, scheduler.stats().numWaiting());
        assertEquals(1, scheduler.stats().numPreemptions());
    }

    @Test
    void outstandingWorkCountsAPrefixSharedByQueuedRequestsOnce() {
        Scheduler scheduler = scheduler(64, new SchedulerConfig(100, 8, true));
        int[] shared = {1, 2, 3, 4, 5, 6, 7, 8};
        // three queued requests on one 8-token prefix (2 blocks), nothing cached yet: the first computes the prefix
        for (int i = 0; i < 3; i++) {
            int[] prompt = java.util.Arrays.copyOf(shared, 11);
            prompt[8] = 20 + i;
            prompt[9] = 21;
            prompt[10] = 22;
            scheduler.add(new EngineRequest("q" + i, prompt, SamplingParams.greedy(4), Priority.THROUGHPUT, ""));
        }
        // 11 + 3 + 3 prompt tokens, 3 x 4 to generate
        assertEquals(17 + 12, scheduler.stats().outstandingTokens());
        // another tenant's salt is another namespace: nothing shared
        int[] other = java.util.Arrays.copyOf(shared, 11);
        scheduler.add(new EngineRequest("salted", other, SamplingParams.greedy(4), Priority.THROUGHPUT, "tenant-b"));
        assertEquals(17 + 12 + 11 + 4, scheduler.stats().outstandingTokens());
        // once the requests holding the prefix are gone, a new one counts it again (nothing was computed)
        for (String id : List.of("q0", "q1", "q2", "salted")) {
            scheduler.abort(id);
        }
        scheduler.add(new EngineRequest("late", java.util.Arrays.copyOf(shared, 11), SamplingParams.greedy(4),
                Priority.THROUGHPUT, ""));
        assertEquals(11 + 4, scheduler.stats().outstandingTokens());
    }

    @Test
    void unservableRequestsAreRefusedWithTheReason() {
        Scheduler scheduler = scheduler(4, SchedulerConfig.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scheduler.add(request("huge", 40, Priority.THROUGHPUT)));
        assertTrue(e.getMessage().contains("whole KV cache has 4"), e.getMessage());
        assertTrue(scheduler.whyUnservable(request("ok", 10, Priority.THROUGHPUT)).isEmpty());
    }

    private static StepPlan runOneToken(Scheduler scheduler) {
        StepPlan plan = scheduler.schedule();
        scheduler.completeStep(plan);
        for (ScheduledSequence s : plan.sequences()) {
            scheduler.appendToken(s.requestId(), 1);
        }
        return plan;
    }

    private static List<String> ids(StepPlan plan) {
        return plan.sequences().stream().map(ScheduledSequence::requestId).toList();
    }

    private static EngineRequest request(String id, int promptLength, Priority priority) {
        int[] prompt = new int[promptLength];
        for (int i = 0; i < promptLength; i++) {
            prompt[i] = (id.hashCode() + i) & 31;
        }
        return new EngineRequest(id, prompt, SamplingParams.greedy(4), priority, "");
    }

    private static Scheduler scheduler(int numBlocks, SchedulerConfig config) {
        return new Scheduler(config, new KvCacheManager(new BlockPool(numBlocks), BLOCK_SIZE), numBlocks, 64, 32,
                "test-model");
    }
}
