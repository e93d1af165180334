package io.prefixflow.jobs.routingsim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulator's workloads, token ids drawn from a seeded random (vocabulary {@link #VOCAB_SIZE}):
 * <ul>
 *   <li>{@code hot-system-prompt}: one 1024-token system prompt + a unique 64-token question; 64 output tokens.</li>
 *   <li>{@code zipf-documents}: a shared 256-token system prompt + one of 1,000 documents of 1024 tokens drawn
 *       Zipf(s = 1.1) + a unique 32-token question; 32 output tokens.</li>
 *   <li>{@code conversations}: sessions of {@link #TURNS_PER_SESSION} turns, cache_key = the session id; turn 1 =
 *       a shared 256-token chat system prompt + a 48-token message; turn t+1 = turn t's prompt + its 48-token
 *       reply (the tokens the engine generated for it) + a new 48-token message. Sessions are interleaved:
 *       round by round (every live session's next turn), each round in a seeded random order.</li>
 *   <li>{@code mix}: each request from one of the three above, 1/3 each, drawn seeded; each stream keeps its
 *       own order.</li>
 *   <li>{@code qa}: the shape of {@code bench --workload qa}: one of {@link #QA_DOCUMENTS} documents of 512
 *       tokens in turn + a unique 32-token question; 32 output tokens (not in the default set: it is
 *       the small case the real pipeline measures at parallelism 2).</li>
 * </ul>
 * Arrival times are all 0 here; {@link ArrivalSchedule} sets them.
 */
public enum SimWorkload {
    HOT_SYSTEM_PROMPT, ZIPF_DOCUMENTS, CONVERSATIONS, MIX, QA;

    public static final int VOCAB_SIZE = 32_000;
    public static final int NUM_DOCUMENTS = 1_000;
    public static final double ZIPF_S = 1.1;
    public static final int DOCUMENT_TOKENS = 1024;
    public static final int TURNS_PER_SESSION = 8;
    public static final int QA_DOCUMENTS = 4;

    /** The name used in options and output, e.g. {@code zipf-documents}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #label()} (any case, {@code _} or {@code -}). */
    public static SimWorkload parse(String text) {
        String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SimWorkload w : values()) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("--workloads " + text
                + ": expected hot-system-prompt, zipf-documents, conversations, mix or qa");
    }

    /** {@code count} requests of this workload, the same for the same seed. */
    public List<SimRequest> generate(int count, long seed) {
        return switch (this) {
            case HOT_SYSTEM_PROMPT -> hotSystemPrompt(count, seed);
            case ZIPF_DOCUMENTS -> zipfDocuments(count, seed);
            case CONVERSATIONS -> conversations(count, seed);
            case MIX -> mix(count, seed);
            case QA -> qa(count, seed);
        };
    }

    private List<SimRequest> hotSystemPrompt(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x401L);
        int[] system = tokens(random, 1024);
        List<SimRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new SimRequest(label() + "-" + i, label(), null, concat(system, tokens(random, 64)),
                    tokens(random, 64), 0));
        }
        return out;
    }

    private List<SimRequest> zipfDocuments(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x2d0cL);
        int[] system = tokens(random, 256);
        double[] cumulative = zipfCumulative(NUM_DOCUMENTS, ZIPF_S);
        Map<Integer, int[]> documents = new HashMap<>();
        List<SimRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int doc = draw(cumulative, random.nextDouble());
            int[] document = documents.computeIfAbsent(doc,
                    d -> tokens(new SplittableRandom(seed * 1_000_003L + d), DOCUMENT_TOKENS));
            out.add(new SimRequest(label() + "-" + i, label(), null, concat(system, document, tokens(random, 32)),
                    tokens(random, 32), 0));
        }
        return out;
    }

    private List<SimRequest> qa(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x9aL);
        int[][] documents = new int[QA_DOCUMENTS][];
        for (int d = 0; d < QA_DOCUMENTS; d++) {
            documents[d] = tokens(random, 512);
        }
        List<SimRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] document = documents[i % QA_DOCUMENTS];
            out.add(new SimRequest(label() + "-" + i, label(), null, concat(document, tokens(random, 32)),
                    tokens(random, 32), 0));
        }
        return out;
    }

    private List<SimRequest> conversations(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0xc0171L);
        int[] system = tokens(random, 256);
        int numSessions = (count + TURNS_PER_SESSION - 1) / TURNS_PER_SESSION;
        int[][] prompts = new int[numSessions][];
        for (int s = 0; s < numSessions; s++) {
            prompts[s] = concat(system, tokens(random, 48));
        }
        List<SimRequest> out = new ArrayList<>(count);
        int[] order = new int[numSessions];
        for (int turn = 0; turn < TURNS_PER_SESSION && out.size() < count; turn++) {
            for (int s = 0; s < numSessions; s++) {
                order[s] = s;
            }
            shuffle(order, random);
            for (int s : order) {
                if (out.size() == count) {
                    break;
                }
                int[] reply = tokens(random, 48);
                out.add(new SimRequest(label() + "-s" + s + "-t" + turn, label(), "session-" + s, prompts[s],
                        reply, 0));
                prompts[s] = concat(prompts[s], reply, tokens(random, 48));
            }
        }
        return out;
    }

    private List<SimRequest> mix(int count, long seed) {
        List<List<SimRequest>> streams = List.of(HOT_SYSTEM_PROMPT.generate(count, seed),
                ZIPF_DOCUMENTS.generate(count, seed), CONVERSATIONS.generate(count, seed));
        int[] next = new int[streams.size()];
        SplittableRandom random = new SplittableRandom(seed ^ 0x313L);
        List<SimRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int stream = random.nextInt(streams.size());
            out.add(streams.get(stream).get(next[stream]++));
        }
        return out;
    }

    /** P(rank k) proportional to 1 / k^s, k = 1..n; the cumulative distribution. */
    static double[] zipfCumulative(int n, double s) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, s);
            cumulative[k - 1] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        return cumulative;
    }

    private static int draw(double[] cumulative, double u) {
        int at = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
    }

    private static int[] tokens(SplittableRandom random, int count) {
        return random.ints(count, 1, VOCAB_SIZE).toArray();
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    private static int[] concat(int[]... parts) {
        int length = 0;
        for (int[] part : parts) {
            length += part.length;
        }
        int[] out = new int[length];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
