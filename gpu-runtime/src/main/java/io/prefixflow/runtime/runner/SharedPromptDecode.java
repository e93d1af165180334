package io.prefixflow.runtime.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The decode workload of the throughput benchmarks ({@code bench-engine} on any backend, the GPU bench):
 * {@code c} sequences share one prefilled prompt, as {@code llama-batched-bench -pps} does, then every
 * step decodes one greedy token for all of them.
 *
 * <pre>
 *  block ids: | prompt blocks 0 .. P-1 | seq 0's private blocks | seq 1's | ... | seq c-1's |
 *  seq s's table: the prompt's full blocks, then its own blocks (from the prompt's partial last block on)
 * </pre>
 *
 * <p>Shared blocks stay read-only: a prompt's partial last block is recomputed into each sequence's
 * first private block.
 */
public final class SharedPromptDecode {
    /** One forward step that returns each sequence's greedy next token, in batch order. */
    @FunctionalInterface
    public interface GreedyStep {
        int[] step(ForwardBatch batch);
    }

    /** Speed-up from one warm-up run to the next below which the workload counts as compiled. */
    static final double STEADY_GAIN = 0.05;
    /** Warm-up runs of one part at most, steady or not. */
    static final int MAX_WARM_UP_RUNS = 8;

    private final int blockSize;
    private final int promptLength;
    private final int maxDecodeTokens;

    /**
     * @param blockSize       tokens per KV block
     * @param promptLength    tokens of the shared prompt
     * @param maxDecodeTokens the most decode steps any run will take
     */
    public SharedPromptDecode(int blockSize, int promptLength, int maxDecodeTokens) {
        if (blockSize < 1 || promptLength < 1 || maxDecodeTokens < 1) {
            throw new IllegalArgumentException("blockSize, promptLength and maxDecodeTokens must be >= 1");
        }
        this.blockSize = blockSize;
        this.promptLength = promptLength;
        this.maxDecodeTokens = maxDecodeTokens;
    }

    /** A step built from a runner that returns logits: greedy is the argmax of each sequence's row. */
    public static GreedyStep argmaxOf(ModelRunner runner) {
        return batch -> {
            float[][] logits = runner.forward(batch);
            int[] tokens = new int[logits.length];
            for (int s = 0; s < logits.length; s++) {
                tokens[s] = io.prefixflow.runtime.sampling.Sampler.argmax(logits[s]);
            }
            return tokens;
        };
    }

    /** Blocks the shared prompt takes. */
    public int promptBlocks() {
        return ceilDiv(promptLength, blockSize);
    }

    /** Private blocks each sequence needs: from the prompt's partial last block to the last decode position. */
    public int privateBlocksPerSequence() {
        return ceilDiv(promptLength + maxDecodeTokens, blockSize) - promptLength / blockSize;
    }

    /** Blocks a runner must hold for {@code maxConcurrency} sequences. */
    public int numBlocks(int maxConcurrency) {
        return promptBlocks() + maxConcurrency * privateBlocksPerSequence();
    }

    /** Prefills {@code prompt} (of {@link #promptLength} tokens) into blocks {@code 0 .. promptBlocks-1}. */
    public void prefill(GreedyStep step, int[] prompt) {
        if (prompt.length != promptLength) {
            throw new IllegalArgumentException("prompt has " + prompt.length + " tokens, expected " + promptLength);
        }
        step.step(ForwardBatch.of(new SequenceChunk(prompt, 0, promptTable())));
    }

    /** Decodes {@code steps} tokens for each of {@code c} sequences over the prefilled prompt. */
    public void decode(GreedyStep step, int c, int steps) {
        if (steps > maxDecodeTokens) {
            throw new IllegalArgumentException(steps + " decode steps exceed the " + maxDecodeTokens + " planned");
        }
        int sharedBlocks = promptLength / blockSize;
        int privateBlocks = privateBlocksPerSequence();
        int[] promptTable = promptTable();
        List<int[]> tables = new ArrayList<>(c);
        for (int s = 0; s < c; s++) {
            int[] table = new int[sharedBlocks + privateBlocks];
            System.arraycopy(promptTable, 0, table, 0, sharedBlocks);
            for (int i = 0; i < privateBlocks; i++) {
                table[sharedBlocks + i] = promptTable.length + s * privateBlocks + i;
            }
            tables.add(table);
        }
        int tailStart = sharedBlocks * blockSize;
        if (tailStart < promptLength) {
            List<SequenceChunk> tails = new ArrayList<>(c);
            for (int[] table : tables) {
                tails.add(new SequenceChunk(new int[promptLength - tailStart], tailStart, table));
            }
            step.step(new ForwardBatch(tails));
        }
        int[] tokens = new int[c];
        for (int i = 0; i < steps; i++) {
            List<SequenceChunk> batch = new ArrayList<>(c);
            for (int s = 0; s < c; s++) {
                batch.add(new SequenceChunk(new int[] {tokens[s]}, promptLength + i, tables.get(s)));
            }
            tokens = step.step(new ForwardBatch(batch));
        }
    }

    /**
     * Runs the workload until the JIT has settled: prefill, then decode at each of {@code concurrencies} for
     * {@code decodeSteps} steps, each repeated until a run is no more than {@link #STEADY_GAIN} faster than the one
     * before it (at least twice, at most {@link #MAX_WARM_UP_RUNS} times). One untimed run was not enough: on
     * JDK 17 with two cores, C2 still compiled the large tile kernels during the first timed runs (F32 110M
     * prefill 234, 252, then 322, 332 tokens/s).
     *
     * @return the runs each part took, prefill first, then one entry per concurrency
     */
    public int[] warmUp(GreedyStep step, int[] prompt, int[] concurrencies, int decodeSteps) {
        int[] runs = new int[1 + concurrencies.length];
        runs[0] = untilSteady(() -> prefill(step, prompt), System::nanoTime);
        for (int i = 0; i < concurrencies.length; i++) {
            int c = concurrencies[i];
            runs[i + 1] = untilSteady(() -> decode(step, c, decodeSteps), System::nanoTime);
        }
        return runs;
    }

    /** Runs {@code run} until steady as {@link #warmUp} says, timed by {@code clockNanos}; returns the runs. */
    static int untilSteady(Runnable run, LongSupplier clockNanos) {
        long previousNanos = Long.MAX_VALUE;
        for (int runs = 1; ; runs++) {
            long start = clockNanos.getAsLong();
            run.run();
            long nanos = clockNanos.getAsLong() - start;
            if (runs >= MAX_WARM_UP_RUNS || runs >= 2 && nanos * (1 + STEADY_GAIN) >= previousNanos) {
                return runs;
            }
            previousNanos = nanos;
        }
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private int[] promptTable() {
        int[] table = new int[promptBlocks()];
        Arrays.setAll(table, i -> i);
        return table;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
