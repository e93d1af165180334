package io.prefixflow.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.jobs.bench.WorkloadSpec.Workload;
import io.prefixflow.runtime.tokenizer.ByteTokenizer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
    private final SyntheticText text = new SyntheticText(new ByteTokenizer(32000));

    private static WorkloadSpec spec(Workload kind, long seed) {
        return new WorkloadSpec(kind, LengthSpec.fixed(40), LengthSpec.parse("--output-len-dist", 20, "uniform:0.5"),
                LengthSpec.fixed(200), 3, seed);
    }

    @Test
    void syntheticTextHasAboutTheRequestedTokens() {
        Random random = new Random(1);
        for (int n : new int[] {1, 7, 64, 500}) {
            int tokens = text.countTokens(text.generate(n, random));
            // At most n, short by less than the longest word plus its space.
            assertTrue(tokens <= Math.max(n, 11) && tokens >= n - 11, n + " -> " + tokens);
        }
    }

    @Test
    void sameSeedSamePrompts() {
        for (Workload w : Workload.values()) {
            assertEquals(Workloads.generate(spec(w, 7), 12, text), Workloads.generate(spec(w, 7), 12, text), w.name());
            assertNotEquals(Workloads.generate(spec(w, 7), 12, text), Workloads.generate(spec(w, 8), 12, text));
        }
    }

    @Test
    void lengthsFollowTheirParameters() {
        for (BenchRequest r : Workloads.generate(spec(Workload.GENERATION, 1), 50, text)) {
            int tokens = text.countTokens(r.prompt());
            assertTrue(tokens <= 40 && tokens >= 29, "prompt " + tokens);
            assertTrue(r.maxTokens() >= 10 && r.maxTokens() <= 30, "output " + r.maxTokens());
        }
        LengthSpec normal = LengthSpec.parse("--input-len-dist", 1000, "normal:0.1");
        Random random = new Random(3);
        double sum = 0;
        for (int i = 0; i < 2000; i++) {
            sum += normal.sample(random);
        }
        assertEquals(1000, sum / 2000, 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LengthSpec.parse("--input-len-dist", 5, "zipf:1"))
                .getMessage().startsWith("--input-len-dist zipf:1: expected fixed, uniform:R or normal:R"));
    }

    @Test
    void sharedPrefixGroupsShareTheirSystemPrompt() {
        List<BenchRequest> requests = Workloads.generate(spec(Workload.SHARED_PREFIX, 1), 6, text);
        String system0 = requests.get(0).prompt().substring(0, requests.get(0).prompt().indexOf("User: "));
        assertTrue(requests.get(3).prompt().startsWith(system0));
        assertTrue(!requests.get(1).prompt().startsWith(system0));
        int shared = text.countTokens(system0);
        assertTrue(shared >= 190 && shared <= 220, "system prompt " + shared);
    }

    @Test
    void documentsShareOneSystemPromptAndFollowTheirSkew() {
        WorkloadSpec spec = new WorkloadSpec(Workload.DOCUMENTS, LengthSpec.fixed(8), LengthSpec.fixed(4),
                LengthSpec.fixed(30), 12, 3, 50, 1.1);
        List<BenchRequest> requests = Workloads.generate(spec, 600, text);
        String first = requests.get(0).prompt();
        String system = first.substring(0, first.indexOf("Document "));
        int[] perDocument = new int[12];
        for (BenchRequest r : requests) {
            assertTrue(r.prompt().startsWith(system));
            String rest = r.prompt().substring(system.length() + "Document ".length());
            perDocument[Integer.parseInt(rest.substring(0, rest.indexOf(':')))]++;
        }
        // Zipf(1.1) over 12: document 0 is drawn with probability 0.355 (213 of 600), document 11 with 0.023.
        assertTrue(perDocument[0] > 175 && perDocument[0] < 250, "document 0: " + perDocument[0]);
        assertTrue(perDocument[0] > 3 * perDocument[5], java.util.Arrays.toString(perDocument));
        assertTrue(perDocument[11] > 0 && perDocument[11] < 30, "document 11: " + perDocument[11]);
    }

    @Test
    void conversationHistoryGrowsTurnByTurn() {
        List<BenchRequest> requests = Workloads.generate(spec(Workload.CONVERSATION, 1), 9, text);
        for (int i = 3; i < 9; i++) {
            assertTrue(requests.get(i).prompt().startsWith(requests.get(i - 3).prompt()), "turn of request " + i);
            assertEquals(requests.get(i - 3).cacheKey(), requests.get(i).cacheKey());
        }
        assertEquals("session-2", requests.get(5).cacheKey());
    }

    @Test
    void poissonArrivalsAreSeededWithTheRequestedRate() {
        double[] a = Arrivals.ofCount(4000, 20, 5);
        assertEquals(0.0, a[0]);
        assertEquals(50.0, a[3999] / 3999, 2.5);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(Arrivals.ofCount(4000, 20, 5)));
        assertEquals(0.0, Arrivals.ofCount(5, Double.POSITIVE_INFINITY, 5)[4]);
        double[] d = Arrivals.ofDuration(10, 20, 5);
        assertTrue(d.length > 150 && d.length < 250 && d[d.length - 1] <= 10_000, "" + d.length);
    }
}
