package io.prefixflow.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.FinishReason;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Engine#resume}: a request resumed with its first k tokens finishes exactly as without the break. */
class EngineResumeTest {
    private final Model model = EngineTesting.stories();

    @Test
    void resumedRequestsEqualUninterruptedOnesForEveryBreakPoint() throws Exception {
        int[] prompt = model.tokenizer().encode("Once upon a time, there was a little cat", true);
        List<SamplingParams> settings = List.of(
                SamplingParams.greedy(40),
                new SamplingParams(0.9f, 0.95f, 40, 1234L, 48, List.of()),
                new SamplingParams(1.0f, 1f, 0, 99L, 60, List.of("park")));
        try (CpuModelRunner runner = EngineTesting.runner(model, 128);
             Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
            for (SamplingParams params : settings) {
                EngineRequest request = new EngineRequest("whole", prompt, params, Priority.THROUGHPUT, "");
                EngineResult whole = engine.submit(request).result().get(30, TimeUnit.SECONDS);
                int[] tokens = whole.tokenIds();
                assertTrue(tokens.length > 3, "needs a few tokens to break in between");
                for (int k : new int[] {1, 2, tokens.length / 2, tokens.length - 1, tokens.length}) {
                    List<Integer> heard = new ArrayList<>();
                    EngineRequest again = new EngineRequest("resumed-" + k, prompt, params, Priority.THROUGHPUT, "");
                    EngineResult resumed = engine.resume(again, Arrays.copyOf(tokens, k), (token, delta) -> {
                        if (token >= 0) {
                            heard.add(token);
                        }
                    }).result().get(30, TimeUnit.SECONDS);
                    String where = params + " resumed after " + k + " tokens";
                    assertArrayEquals(tokens, resumed.tokenIds(), where);
                    assertEquals(whole.text(), resumed.text(), where);
                    assertEquals(whole.finishReason(), resumed.finishReason(), where);
                    assertEquals(tokens.length, resumed.usage().completionTokens(), where);
                    assertEquals(Arrays.stream(tokens, k, tokens.length).boxed().toList(), heard, where);
                }
            }
        }
    }

    @Test
    void resumingWithTokensPastTheEndIsRefused() throws Exception {
        int[] prompt = model.tokenizer().encode("Once upon a time", true);
        int eos = model.tokenizer().eosId();
        try (CpuModelRunner runner = EngineTesting.runner(model, 64);
             Engine engine = Engine.start(model, runner, SchedulerConfig.DEFAULT)) {
            EngineRequest request = EngineRequest.greedy("r", prompt, 3);
            assertThrows(IllegalArgumentException.class, () -> engine.resume(request, new int[] {5, 6, 7, 8}, (t, d) -> { }));
            assertThrows(IllegalArgumentException.class, () -> engine.resume(request, new int[] {5, 600}, (t, d) -> { }));
            EngineResult full = engine.resume(request, new int[] {5, 6, 7}, (t, d) -> { }).result().get();
            assertEquals(FinishReason.LENGTH, full.finishReason());
            assertArrayEquals(new int[] {5, 6, 7}, full.tokenIds());
            if (model.stopTokenIds().contains(eos)) {
                EngineResult stopped = engine.resume(request, new int[] {5, eos}, (t, d) -> { }).result().get();
                assertEquals(FinishReason.STOP, stopped.finishReason());
            }
        }
    }
}
