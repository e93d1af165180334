package io.prefixflow.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;

import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.QuantRecipe;
import io.prefixflow.runtime.model.TokenizerFactory;
import io.prefixflow.runtime.runner.SharedPromptDecode;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import jcuda.driver.CUevent;

/**
 * The GPU benchmark of issue 6, run by {@code scripts/gpu/run-on-device.sh}: device copy bandwidth, the decode
 * roofline it implies (weight bytes per step over that bandwidth), prefill tokens/s, and decode tokens/s at
 * several concurrencies, printed as one JSON line last.
 *
 * <p>Shaped like {@code bench-engine}: decode at concurrency c runs c sequences over one shared prefilled
 * prompt (its full blocks in every block table), each step one token per sequence, greedy on the device.
 * Each figure is the median of {@code --repetitions} runs after a warm-up.
 *
 * <pre>
 * java -cp ... io.prefixflow.runtime.cuda.CudaBench --model dummy:llama-1b --dtype f32 \
 *      --prompt-tokens 512 --decode-tokens 128 --concurrency 1,16,64,256 --device 0 --weights bf16
 * </pre>
 */
public final class CudaBench {
    private String modelSpec = "dummy:llama-1b";
    private String dtype = "f32";
    private int promptTokens = 512;
    private int decodeTokens = 128;
    private int[] concurrency = {1, 16, 64, 256};
    private int repetitions = 3;
    private int deviceOrdinal = 0;
    private int blockSize = 16;
    private WeightPrecision precision = WeightPrecision.BF16;

    private CudaBench() {
    }

    public static void main(String[] args) {
        CudaBench bench = new CudaBench();
        bench.parse(args);
        bench.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> modelSpec = value;
                case "--dtype" -> dtype = value;
                case "--prompt-tokens" -> promptTokens = Integer.parseInt(value);
                case "--decode-tokens" -> decodeTokens = Integer.parseInt(value);
                case "--concurrency" -> concurrency = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--repetitions" -> repetitions = Integer.parseInt(value);
                case "--device" -> deviceOrdinal = Integer.parseInt(value);
                case "--block-size" -> blockSize = Integer.parseInt(value);
                case "--weights" -> precision = WeightPrecision.valueOf(value.toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --model --dtype"
                        + " --prompt-tokens --decode-tokens --concurrency --repetitions --device --block-size --weights");
            }
            i++;
        }
        if (promptTokens < 1 || decodeTokens < 1 || repetitions < 1 || Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--prompt-tokens, --decode-tokens, --repetitions, --concurrency must be >= 1");
        }
    }

    private void run() {
        if (!CudaProbe.isAvailable()) {
            throw new IllegalStateException("the cuda benchmark cannot run: " + CudaProbe.reason());
        }
        System.err.println("loading " + modelSpec + " (" + dtype + " on the host, " + precision + " on the GPU)...");
        Model model = ModelLoader.loadStoredAs(modelSpec, null, QuantRecipe.parse(dtype), TokenizerFactory.none())
                .withContextLength(promptTokens + decodeTokens);
        int maxConcurrency = Arrays.stream(concurrency).max().orElse(1);
        SharedPromptDecode workload = new SharedPromptDecode(blockSize, promptTokens, decodeTokens);
        int numBlocks = workload.numBlocks(maxConcurrency);
        StringBuilder json = new StringBuilder("{");
        try (CudaModelRunner runner = new CudaModelRunner(model.config(), model.weights(), blockSize, numBlocks,
                deviceOrdinal, precision)) {
            double copyBytesPerS = copyBandwidth();
            double weightBytes = runner.weightBytes();
            double roofline = copyBytesPerS / weightBytes;
            System.err.printf(Locale.ROOT, "%s%ncopy bandwidth %.0f GB/s (read + written); weights %.2f GB;"
                    + " decode roofline at 1 sequence %.1f tokens/s%n", runner.deviceDescription(), copyBytesPerS / 1e9,
                    weightBytes / 1e9, roofline);
            json.append(field("device", runner.deviceDescription())).append(',')
                    .append(field("model", model.name())).append(',')
                    .append(field("weights", precision.name().toLowerCase(Locale.ROOT))).append(',')
                    .append("\"prompt_tokens\":").append(promptTokens).append(',')
                    .append("\"decode_tokens\":").append(decodeTokens).append(',')
                    .append(String.format(Locale.ROOT, "\"copy_gb_per_s\":%.1f,\"weight_gb\":%.3f,"
                            + "\"decode_roofline_tokens_per_s_at_1\":%.1f,", copyBytesPerS / 1e9, weightBytes / 1e9,
                            roofline));

            SplittableRandom random = new SplittableRandom(42);
            int[] prompt = random.ints(promptTokens, 0, model.config().vocabSize()).toArray();
            SharedPromptDecode.GreedyStep step = runner::forwardGreedy;
            workload.prefill(step, prompt);
            workload.decode(step, Math.min(4, maxConcurrency), Math.min(8, decodeTokens));
            double[] prefillRates = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                workload.prefill(step, prompt);
                prefillRates[r] = promptTokens / seconds(start);
            }
            System.err.printf(Locale.ROOT, "prefill %d tokens: %.0f tokens/s%n", promptTokens, SharedPromptDecode.median(prefillRates));
            json.append(String.format(Locale.ROOT, "\"prefill_tokens_per_s\":%.1f,\"decode\":[", SharedPromptDecode.median(prefillRates)));
            for (int ci = 0; ci < concurrency.length; ci++) {
                int c = concurrency[ci];
                double[] rates = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    long start = System.nanoTime();
                    workload.decode(step, c, decodeTokens);
                    rates[r] = (double) c * decodeTokens / seconds(start);
                }
                double rate = SharedPromptDecode.median(rates);
                System.err.printf(Locale.ROOT, "decode concurrency %d: %.1f tokens/s (%.0f%% of the 1-sequence"
                        + " roofline per step)%n", c, rate, 100 * rate / c / roofline);
                json.append(ci > 0 ? "," : "").append(String.format(Locale.ROOT,
                        "{\"concurrency\":%d,\"tokens_per_s\":%.1f,\"steps_per_s_over_roofline\":%.3f}",
                        c, rate, rate / c / roofline));
            }
            json.append("]}");
        }
        System.out.println(json);
    }

    /** Device-to-device copy of 1 GiB, bytes read plus written per second, median of 10 after a warm-up. */
    private static double copyBandwidth() {
        long sizeBytes = 1L << 30;
        CUevent begin = new CUevent();
        CUevent end = new CUevent();
        cuEventCreate(begin, 0);
        cuEventCreate(end, 0);
        try (DeviceBuffer src = new DeviceBuffer(sizeBytes); DeviceBuffer dst = new DeviceBuffer(sizeBytes)) {
            cuMemcpyDtoD(dst.pointer(), src.pointer(), sizeBytes);
            double[] rates = new double[10];
            for (int i = 0; i < rates.length; i++) {
                cuEventRecord(begin, null);
                cuMemcpyDtoD(dst.pointer(), src.pointer(), sizeBytes);
                cuEventRecord(end, null);
                cuEventSynchronize(end);
                float[] ms = new float[1];
                cuEventElapsedTime(ms, begin, end);
                rates[i] = 2.0 * sizeBytes / (ms[0] / 1e3);
            }
            return SharedPromptDecode.median(rates);
        } finally {
            cuEventDestroy(begin);
            cuEventDestroy(end);
        }
    }

    private static String field(String name, String value) {
        return "\"" + name + "\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
