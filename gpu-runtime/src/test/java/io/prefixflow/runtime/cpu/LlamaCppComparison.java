package io.prefixflow.runtime.cpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.model.LayerWeights;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.ModelWeights;
import io.prefixflow.runtime.model.QuantRecipe;
import io.prefixflow.runtime.model.TensorRole;
import io.prefixflow.runtime.model.TokenizerFactory;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.tensor.ActivationRounding;
import io.prefixflow.runtime.tensor.WeightMatrix;
import io.prefixflow.runtime.testing.LlamaCppGreedy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PrefixFlow's CPU runner against llama.cpp's greedy decoding of the same GGUF file ({@code bench/llamacpp/greedy.mjs}).
 *
 * <p>PrefixFlow is teacher-forced along llama.cpp's first run (1 thread): it evaluates the prompt ids, then each
 * token llama.cpp generated, and at every step its argmax is compared with llama.cpp's choice and its logits with
 * llama.cpp's (all of them when the file has them, else llama.cpp's top ones). So "equal tokens for the first k
 * steps" means exactly that PrefixFlow's own greedy decoding would have produced llama.cpp's first k tokens, and a
 * logit difference is measured at every step, also after a mismatch.
 *
 * <p>Also a command for the large files that are not committed (see {@code bench/llamacpp/README.md}):
 * <pre>
 * java --add-modules jdk.incubator.vector -cp CLASSPATH io.prefixflow.runtime.cpu.LlamaCppComparison \
 *     MODEL.gguf LLAMACPP.json [threads]
 * </pre>
 * prints one JSON object: per prompt and in total, the figures of {@link CaseResult}.
 */
public final class LlamaCppComparison {
    private static final int BLOCK_SIZE = 16;

    private LlamaCppComparison() {
    }

    /**
     * The comparison of one prompt.
     *
     * @param prompt            the prompt text
     * @param promptTokens      prompt length in tokens
     * @param steps             generated tokens compared (llama.cpp's steps)
     * @param agreeingPrefix    leading steps where all of llama.cpp's thread counts chose the same token
     * @param equalInAgreeing   steps of that prefix where PrefixFlow's argmax is llama.cpp's token
     * @param equalAll          steps of all {@code steps} where PrefixFlow's argmax is llama.cpp's token
     * @param firstMismatch     the first step where they differ, or -1
     * @param logitsCompared    logit values compared (over all steps)
     * @param maxAbsDiff        largest |PrefixFlow logit - llama.cpp logit|
     * @param meanAbsDiff       mean of the same
     * @param maxAbsLogit       largest |llama.cpp logit| seen, for scale
     * @param minMargin         llama.cpp's smallest top-1 minus top-2 logit gap over the steps
     * @param mismatches        every step where PrefixFlow's argmax is not llama.cpp's token
     */
    public record CaseResult(String prompt, int promptTokens, int steps, int agreeingPrefix, int equalInAgreeing,
                             int equalAll, int firstMismatch, long logitsCompared, double maxAbsDiff,
                             double meanAbsDiff, double maxAbsLogit, double minMargin, List<Mismatch> mismatches) {
    }

    /**
     * A step where the two engines choose differently.
     *
     * @param step             the step
     * @param llamaCppToken    llama.cpp's choice
     * @param prefixFlowToken  PrefixFlow's argmax
     * @param llamaCppShortfall how far below its own top logit llama.cpp rates PrefixFlow's choice (NaN when
     *                          llama.cpp's file does not hold that logit)
     * @param prefixFlowShortfall how far below its own top logit PrefixFlow rates llama.cpp's choice
     */
    public record Mismatch(int step, int llamaCppToken, int prefixFlowToken, double llamaCppShortfall,
                           double prefixFlowShortfall) {
    }

    /** Runs every prompt of {@code reference} through {@code model} on a CPU runner with {@code threads} workers. */
    public static List<CaseResult> compare(Model model, LlamaCppGreedy reference, int threads) {
        return compare(model, reference, threads, ActivationRounding.NONE);
    }

    /** As {@link #compare(Model, LlamaCppGreedy, int)}, with the runner rounding activations by {@code rounding}. */
    public static List<CaseResult> compare(Model model, LlamaCppGreedy reference, int threads,
                                           ActivationRounding rounding) {
        int longest = 0;
        for (LlamaCppGreedy.Case c : reference.reference()) {
            longest = Math.max(longest, c.promptIds().length + c.tokens().length);
        }
        int numBlocks = (longest + BLOCK_SIZE - 1) / BLOCK_SIZE;
        int[] table = new int[numBlocks];
        for (int i = 0; i < numBlocks; i++) {
            table[i] = i;
        }
        List<CaseResult> results = new ArrayList<>();
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks,
                threads, rounding)) {
            List<LlamaCppGreedy.Case> cases = reference.reference();
            for (int index = 0; index < cases.size(); index++) {
                results.add(compareCase(runner, table, cases.get(index), reference.agreeingPrefix(index)));
            }
        }
        return results;
    }

    private static CaseResult compareCase(CpuModelRunner runner, int[] table, LlamaCppGreedy.Case c, int agreeing) {
        int[] prompt = c.promptIds();
        float[] logits = runner.forward(ForwardBatch.of(new SequenceChunk(prompt, 0, table)))[0];
        int equalInAgreeing = 0;
        int equalAll = 0;
        int firstMismatch = -1;
        long compared = 0;
        double sum = 0;
        double max = 0;
        double maxAbsLogit = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        List<Mismatch> mismatches = new ArrayList<>();
        for (int step = 0; step < c.tokens().length; step++) {
            int expected = c.tokens()[step];
            int argmax = argmax(logits);
            LlamaCppGreedy.StepLogits ref = c.steps().get(step);
            if (argmax == expected) {
                equalAll++;
                if (step < agreeing) {
                    equalInAgreeing++;
                }
            } else {
                if (firstMismatch < 0) {
                    firstMismatch = step;
                }
                mismatches.add(new Mismatch(step, expected, argmax, ref.topLogits()[0] - llamaCppLogit(ref, argmax),
                        logits[argmax] - logits[expected]));
            }
            if (ref.topLogits().length > 1) {
                minMargin = Math.min(minMargin, ref.topLogits()[0] - ref.topLogits()[1]);
            }
            if (ref.all() != null) {
                if (ref.all().length != logits.length) {
                    throw new IllegalStateException("llama.cpp has " + ref.all().length + " logits, PrefixFlow "
                            + logits.length);
                }
                for (int i = 0; i < logits.length; i++) {
                    double d = Math.abs(logits[i] - ref.all()[i]);
                    sum += d;
                    max = Math.max(max, d);
                    maxAbsLogit = Math.max(maxAbsLogit, Math.abs(ref.all()[i]));
                }
                compared += logits.length;
            } else {
                for (int i = 0; i < ref.topIds().length; i++) {
                    double d = Math.abs(logits[ref.topIds()[i]] - ref.topLogits()[i]);
                    sum += d;
                    max = Math.max(max, d);
                    maxAbsLogit = Math.max(maxAbsLogit, Math.abs(ref.topLogits()[i]));
                }
                compared += ref.topIds().length;
            }
            if (step + 1 < c.tokens().length) {
                logits = runner.forward(ForwardBatch.of(new SequenceChunk(new int[] {expected}, prompt.length + step,
                        table)))[0];
            }
        }
        return new CaseResult(c.prompt(), prompt.length, c.tokens().length, agreeing, equalInAgreeing, equalAll,
                firstMismatch, compared, max, compared == 0 ? 0 : sum / compared, maxAbsLogit, minMargin, mismatches);
    }

    private static double llamaCppLogit(LlamaCppGreedy.StepLogits ref, int token) {
        if (ref.all() != null) {
            return ref.all()[token];
        }
        for (int i = 0; i < ref.topIds().length; i++) {
            if (ref.topIds()[i] == token) {
                return ref.topLogits()[i];
            }
        }
        return Double.NaN;
    }

    /**
     * Every weight matrix of {@code model} whose type is not what {@code recipe} picks for it, as readable lines
     * (empty when the file follows PrefixFlow's recipe). A token embedding that is also the classifier (tied) is
     * judged as the output matrix, as llama.cpp quantizes it.
     */
    public static List<String> recipeMismatches(Model model, QuantRecipe recipe) {
        ModelWeights w = model.weights();
        int n = w.layers().size();
        List<String> out = new ArrayList<>();
        boolean tied = w.classifier() == w.tokenEmbedding();
        check(out, recipe, tied ? TensorRole.OUTPUT : TensorRole.TOKEN_EMBEDDING, 0, n, w.tokenEmbedding());
        check(out, recipe, TensorRole.OUTPUT, 0, n, w.classifier());
        for (int l = 0; l < n; l++) {
            LayerWeights layer = w.layers().get(l);
            check(out, recipe, TensorRole.ATTN_Q, l, n, layer.wq());
            check(out, recipe, TensorRole.ATTN_K, l, n, layer.wk());
            check(out, recipe, TensorRole.ATTN_V, l, n, layer.wv());
            check(out, recipe, TensorRole.ATTN_OUTPUT, l, n, layer.wo());
            check(out, recipe, TensorRole.FFN_GATE, l, n, layer.w1());
            check(out, recipe, TensorRole.FFN_DOWN, l, n, layer.w2());
            check(out, recipe, TensorRole.FFN_UP, l, n, layer.w3());
        }
        return out;
    }

    private static void check(List<String> out, QuantRecipe recipe, TensorRole role, int layer, int numLayers,
                              WeightMatrix m) {
        var expected = recipe.typeFor(role, layer, numLayers, m.cols());
        if (expected != m.type()) {
            out.add(role + " layer " + layer + ": file " + m.type() + ", " + recipe.name() + " " + expected);
        }
    }

    /** The mix a GGUF file says it is ({@code general.file_type} 15 or 17), or null. */
    static QuantRecipe fileRecipe(Path file) {
        GgufFile gguf = GgufFile.open(file);
        try {
            long fileType = gguf.getLong("general.file_type", -1);
            return fileType == 15 ? QuantRecipe.Q4_K_M : fileType == 17 ? QuantRecipe.Q5_K_M : null;
        } finally {
            gguf.close();
        }
    }

    /** The first index of the largest value, as llama.cpp's greedy sampler picks it. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LlamaCppComparison MODEL.gguf LLAMACPP.json [threads [none|ggml]]");
            System.exit(2);
        }
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        LlamaCppGreedy reference = LlamaCppGreedy.read(Path.of(args[1]));
        Model model = ModelLoader.load(args[0], null, null, TokenizerFactory.none());
        long start = System.nanoTime();
        ActivationRounding rounding = args.length > 3 ? ActivationRounding.parse(args[3]) : ActivationRounding.NONE;
        List<CaseResult> results = compare(model, reference, threads, rounding);
        int steps = 0;
        int agreeing = 0;
        int equalInAgreeing = 0;
        int equalAll = 0;
        long compared = 0;
        double sum = 0;
        double max = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        for (CaseResult r : results) {
            steps += r.steps();
            agreeing += r.agreeingPrefix();
            equalInAgreeing += r.equalInAgreeing();
            equalAll += r.equalAll();
            compared += r.logitsCompared();
            sum += r.meanAbsDiff() * r.logitsCompared();
            max = Math.max(max, r.maxAbsDiff());
            minMargin = Math.min(minMargin, r.minMargin());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", args[0]);
        out.put("llamacpp", args[1]);
        out.put("llamacpp_kv_cache", reference.kvCache());
        out.put("llamacpp_threads", reference.threads());
        out.put("prefixflow_threads", threads);
        QuantRecipe recipe = fileRecipe(Path.of(args[0]));
        out.put("recipe", recipe == null ? null : recipe.name());
        out.put("tensor_types_not_as_prefixflow_recipe", recipe == null ? null : recipeMismatches(model, recipe));
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("prompts", results.size());
        total.put("steps", steps);
        total.put("steps_llamacpp_threads_agree", agreeing);
        total.put("equal_where_llamacpp_agrees", equalInAgreeing);
        total.put("equal_all_steps", equalAll);
        total.put("logits_compared", compared);
        total.put("max_abs_logit_diff", max);
        total.put("mean_abs_logit_diff", compared == 0 ? 0 : sum / compared);
        total.put("min_llamacpp_top1_top2_margin", minMargin);
        out.put("total", total);
        out.put("cases", results);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
}
