package io.prefixflow.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static float[] randomLogits(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        return logits;
    }

    private static SamplingParams params(float temperature, float topP, int topK, long seed) {
        return new SamplingParams(temperature, topP, topK, seed, 16, List.of());
    }

    @Test
    void greedyTakesTheHighestLogitAndTiesGoToTheLowestId() {
        assertEquals(2, Sampler.argmax(new float[] {1f, 3f, 5f, 5f, 2f}));
        assertEquals(0, Sampler.argmax(new float[] {7f, 7f}));
        assertEquals(2, new Sampler().sample(new float[] {1f, 3f, 5f, 5f}, SamplingParams.greedy(1), 0));
    }

    @Property(tries = 200)
    void theSameSeedGivesTheSameTokens(@ForAll long seed, @ForAll @IntRange(min = 0, max = 50) int index) {
        float[] logits = randomLogits(seed, 300);
        SamplingParams p = params(0.9f, 0.95f, 40, seed);
        assertEquals(new Sampler().sample(logits, p, index), new Sampler().sample(logits, p, index));
    }

    @Test
    void differentSeedsAndIndicesDrawDifferentTokens() {
        float[] logits = new float[100]; // uniform: any token is equally likely
        Set<Integer> drawn = new HashSet<>();
        Sampler sampler = new Sampler();
        for (int i = 0; i < 50; i++) {
            drawn.add(sampler.sample(logits, params(1f, 1f, 0, 7), i));
        }
        assertTrue(drawn.size() > 25, "50 draws over 100 equally likely tokens gave only " + drawn.size());
        Set<Integer> bySeed = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            bySeed.add(sampler.sample(logits, params(1f, 1f, 0, seed), 0));
        }
        assertTrue(bySeed.size() > 10, "20 seeds drew only " + bySeed.size() + " distinct first tokens");
    }

    @Property(tries = 200)
    void topKKeepsOnlyTheKMostLikely(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int k) {
        float[] logits = randomLogits(seed, 200);
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        Set<Integer> topK = Set.of(java.util.Arrays.copyOf(order, k));
        Sampler sampler = new Sampler();
        for (int i = 0; i < 20; i++) {
            int token = sampler.sample(logits, params(5f, 1f, k, seed), i);
            assertTrue(topK.contains(token), "token " + token + " is not among the top " + k);
        }
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // Probabilities 0.5, 0.3, 0.2 at temperature 1: top_p 0.7 keeps ids 0 and 1 only.
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        Sampler sampler = new Sampler();
        int[] counts = new int[3];
        for (int i = 0; i < 2_000; i++) {
            counts[sampler.sample(logits, params(1f, 0.7f, 0, 11), i)]++;
        }
        assertEquals(0, counts[2]);
        // Renormalized 0.5/0.8 = 0.625 for id 0; 2000 draws put it within +-0.05 with overwhelming probability.
        assertEquals(0.625, counts[0] / 2000.0, 0.05);
    }

    @Test
    void temperatureSamplingFollowsTheSoftmax() {
        float[] logits = {0f, (float) Math.log(3)}; // probabilities 1/4 and 3/4 at temperature 1
        Sampler sampler = new Sampler();
        int ones = 0;
        for (int i = 0; i < 4_000; i++) {
            ones += sampler.sample(logits, params(1f, 1f, 0, 5), i);
        }
        assertEquals(0.75, ones / 4000.0, 0.03);
    }

    @Test
    void invalidParametersNameTheSetting() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> params(-1f, 1f, 0, 0)).getMessage()
                .contains("temperature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> params(1f, 0f, 0, 0)).getMessage()
                .contains("top_p"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> params(1f, 1f, -1, 0)).getMessage()
                .contains("top_k"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new SamplingParams(0f, 1f, 0, 0, 0, List.of())).getMessage().contains("max_tokens"));
    }

    @Property(tries = 200)
    void withoutTopKTheDrawFollowsLogitOrderWithTiesToTheLowerId(@ForAll long seed,
                                                               @ForAll @IntRange(min = 0, max = 20) int index) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[64];
        for (int i = 0; i < logits.length; i++) {
            // Few distinct values, both signs and both zeros, so ties are common.
            logits[i] = new float[] {-2f, -0f, 0f, 1.5f, 3f}[random.nextInt(5)];
        }
        Integer[] expected = new Integer[logits.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i;
        }
        java.util.Arrays.sort(expected,
                (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
        SamplingParams p = params(1f, 1f, 0, seed);
        int token = new Sampler().sample(logits, p, index);
        double u = Sampler.uniform(seed, index);
        double sum = 0;
        float[] probs = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            // The same arithmetic as the sampler: float weights, their double sum.
            double weight = Math.exp(logits[expected[i]] - logits[expected[0]]);
            probs[i] = (float) weight;
            sum += weight;
        }
        double cumulative = 0;
        int want = expected[expected.length - 1];
        for (int i = 0; i < logits.length; i++) {
            cumulative += probs[i];
            if (u * sum < cumulative) {
                want = expected[i];
                break;
            }
        }
        assertEquals(want, token);
    }

    @Property(tries = 200)
    void aMaskedDrawIsAlwaysAnAllowedToken(@ForAll long seed, @ForAll @IntRange(min = 0, max = 20) int k,
                                           @ForAll @IntRange(min = 0, max = 1) int greedy) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[300];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextDouble() * 10);
        }
        long[] allowed = new long[(logits.length + 63) / 64];
        int best = -1;
        for (int n = 0; n < 1 + random.nextInt(5); n++) {
            int id = random.nextInt(logits.length);
            allowed[id >>> 6] |= 1L << id;
            best = best < 0 || logits[id] > logits[best] || (logits[id] == logits[best] && id < best) ? id : best;
        }
        float[] copy = logits.clone();
        SamplingParams params = new SamplingParams(greedy == 1 ? 0f : 1.3f, 0.9f, k, seed, 10, List.of());
        int token = new Sampler().sample(copy, params, random.nextInt(50), allowed);
        assertTrue((allowed[token >>> 6] >>> token & 1L) != 0, "token " + token + " is not allowed");
        if (greedy == 1) {
            assertEquals(best, token, "greedy takes the best allowed logit");
            assertTrue(java.util.Arrays.equals(logits, copy), "greedy leaves the logits alone");
        }
    }

    @Test
    void noMaskAndAnAllAllowedMaskDrawTheSame() {
        SplittableRandom random = new SplittableRandom(9);
        float[] logits = new float[130];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        long[] all = {-1L, -1L, -1L};
        SamplingParams params = new SamplingParams(0.8f, 0.95f, 0, 4, 10, List.of());
        for (int index = 0; index < 20; index++) {
            assertEquals(new Sampler().sample(logits.clone(), params, index),
                    new Sampler().sample(logits.clone(), params, index, all));
        }
    }
}
