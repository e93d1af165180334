package io.prefixflow.runtime.engine;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.generate.Generator;
import io.prefixflow.runtime.generate.TokenListener;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.testing.SharedData;
import io.prefixflow.runtime.tokenizer.DefaultTokenizerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** stories260K with its tokenizer, runners, the single-request reference and request helpers. */
final class EngineTesting {
    static final int CONTEXT = 512;
    static final int BLOCK_SIZE = 16;
    /** Tokens 0..2 are UNK, BOS, EOS in tok512; prompts use the others. */
    static final int FIRST_PLAIN_TOKEN = 3;

    private static Model stories;

    private EngineTesting() {
    }

    static synchronized Model stories() {
        if (stories == null) {
            stories = ModelLoader.load(SharedData.model("stories260K.bin").toString(),
                    SharedData.model("tok512.bin"), null, new DefaultTokenizerFactory()).withContextLength(CONTEXT);
        }
        return stories;
    }

    static CpuModelRunner runner(Model model, int numBlocks) {
        return new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 1);
    }

    /** What the plain one-request loop gives. */
    static GenerationResult reference(Model model, int[] prompt, SamplingParams params) {
        int numBlocks = CONTEXT / BLOCK_SIZE;
        try (CpuModelRunner runner = runner(model, numBlocks)) {
            return new Generator(model, runner, new BlockPool(numBlocks), 64)
                    .generate(prompt, params, TokenListener.NONE);
        }
    }

    static int[] randomTokens(SplittableRandom random, int length, int vocabSize) {
        return random.ints(length, FIRST_PLAIN_TOKEN, vocabSize).toArray();
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Submits every request, then waits for all results, in request order. */
    static List<EngineResult> runAll(Engine engine, List<EngineRequest> requests) throws Exception {
        return runAll(engine, requests, null);
    }

    /**
     * Submits every request, then opens {@code gate} (if any) so the engine starts with all of them queued,
     * then waits for all results, in request order.
     */
    static List<EngineResult> runAll(Engine engine, List<EngineRequest> requests, GatedRunner gate) throws Exception {
        List<RequestHandle> handles = new ArrayList<>();
        for (EngineRequest request : requests) {
            handles.add(engine.submit(request));
        }
        if (gate != null) {
            gate.open();
        }
        List<EngineResult> results = new ArrayList<>();
        for (RequestHandle handle : handles) {
            results.add(handle.result().get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Waits until the engine's metrics show no waiting or running request. */
    static EngineMetrics awaitIdle(Engine engine) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        EngineMetrics metrics = engine.metrics();
        while ((metrics.numRunning() > 0 || metrics.numWaiting() > 0 || metrics.numUsedBlocks() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
            metrics = engine.metrics();
        }
        return metrics;
    }
}
