package io.prefixflow.jobs.routingsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.operator.config.RoutingSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The simulator end to end, in-process and small. */
class RoutingSimulatorTest {
    private static SimSettings settings(List<SimWorkload> workloads, double load) {
        return new SimSettings(List.of(4), workloads, 12, 400, 16, 64, 512, load, 7, 0,
                RoutingSettings.from(new Configuration()));
    }

    private static List<ModeResult> run(SimSettings settings) {
        return new RoutingSimulator(settings, SimEngineTest.COST, new PrintWriter(new StringWriter())).run();
    }

    @Test
    void theSameSeedGivesTheSameResults() {
        SimSettings settings = settings(List.of(SimWorkload.MIX), 0.9);
        assertEquals(run(settings), run(settings));
    }

    @Test
    void roundRobinDoesNotBeatTheIdealByMoreThanNoise() {
        for (SimWorkload workload : List.of(SimWorkload.ZIPF_DOCUMENTS, SimWorkload.CONVERSATIONS)) {
            for (double load : List.of(0.9, Double.POSITIVE_INFINITY)) {
                List<ModeResult> results = run(settings(List.of(workload), load));
                ModeResult roundRobin = results.stream().filter(r -> r.mode().equals("round-robin")).findFirst()
                        .orElseThrow();
                assertTrue(roundRobin.throughputVsIdeal() <= 1.05, workload + " at load " + load + ": " + roundRobin);
                assertTrue(roundRobin.hitRateVsSingleEngine() <= 1.0 + 1e-9, workload + ": " + roundRobin);
            }
        }
    }

    @Test
    void workloadsAreSeededAndShaped() {
        List<SimRequest> a = SimWorkload.CONVERSATIONS.generate(40, 3);
        List<SimRequest> b = SimWorkload.CONVERSATIONS.generate(40, 3);
        assertEquals(40, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).id(), b.get(i).id());
            assertTrue(java.util.Arrays.equals(a.get(i).promptTokens(), b.get(i).promptTokens()));
        }
        SimRequest turn0 = a.stream().filter(r -> r.id().endsWith("-s0-t0")).findFirst().orElseThrow();
        SimRequest turn1 = a.stream().filter(r -> r.id().endsWith("-s0-t1")).findFirst().orElseThrow();
        assertEquals(256 + 48, turn0.promptTokens().length);
        assertEquals(turn0.promptTokens().length + 96, turn1.promptTokens().length);
        int[] expectedStart = new int[turn0.promptTokens().length + 48];
        System.arraycopy(turn0.promptTokens(), 0, expectedStart, 0, turn0.promptTokens().length);
        System.arraycopy(turn0.outputTokens(), 0, expectedStart, turn0.promptTokens().length, 48);
        assertTrue(java.util.Arrays.equals(expectedStart,
                java.util.Arrays.copyOf(turn1.promptTokens(), expectedStart.length)),
                "a turn's prompt continues with the previous turn's reply");
        assertEquals(1024 + 64, SimWorkload.HOT_SYSTEM_PROMPT.generate(1, 1).get(0).promptTokens().length);
        assertEquals(256 + 1024 + 32, SimWorkload.ZIPF_DOCUMENTS.generate(1, 1).get(0).promptTokens().length);
    }
}
