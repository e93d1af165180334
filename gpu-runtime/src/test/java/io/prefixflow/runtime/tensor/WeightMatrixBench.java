package io.prefixflow.runtime.tensor;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Single-threaded throughput of {@link WeightMatrix#matmul} per storage type and shape, for decode
 * ({@code nTokens = 1}) and a prefill batch. Not a test: run it by hand on an idle machine, e.g.
 *
 * <pre>
 * mvn -B -ntp -q -pl gpu-runtime -am test-compile
 * java --add-modules jdk.incubator.vector -cp gpu-runtime/target/classes:gpu-runtime/target/test-classes \
 *     io.prefixflow.runtime.tensor.WeightMatrixBench [types] [nTokensList] [seconds per case]
 * </pre>
 *
 * Each case warms up for the given seconds, then reports the best call of the next as many seconds:
 * GFLOP/s ({@code 2 * rows * cols * nTokens} per call) and weight bytes read per second (the weights
 * are read once per call; for large batches the number is not a bandwidth). {@code -Dbench.scalar=true}
 * times the scalar reference instead; {@code -Dbench.shapes=2048x2048,8192x2048} (rows x cols) replaces the
 * default shapes.
 */
public final class WeightMatrixBench {
    private static final int[][] SHAPES = {{768, 768}, {2048, 768}, {32000, 768}};

    private WeightMatrixBench() {
    }

    public static void main(String[] args) {
        String[] types = args.length > 0 ? args[0].split(",") : new String[] {"f32", "f16", "bf16", "q8_0", "q4_0"};
        String[] tokenCounts = args.length > 1 ? args[1].split(",") : new String[] {"1", "64"};
        double secondsPerCase = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        boolean scalar = Boolean.getBoolean("bench.scalar");
        System.out.printf(Locale.ROOT, "%-5s %6s %5s %7s %10s %9s %8s%n",
                "type", "rows", "cols", "tokens", "us/call", "GFLOP/s", "GB/s");
        for (String typeName : types) {
            GgmlType type = GgmlType.parse(typeName);
            for (int[] shape : shapes()) {
                int rows = shape[0];
                int cols = shape[1];
                float[] values = new float[rows * cols];
                SplittableRandom random = new SplittableRandom(rows);
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextDouble() * 0.04 - 0.02);
                }
                ByteBuffer bytes = WeightMatrices.encode(type, values);
                WeightMatrix w = WeightMatrices.of(type, bytes, 0, rows, cols);
                for (String tokens : tokenCounts) {
                    int nTokens = Integer.parseInt(tokens);
                    run(w, nTokens, secondsPerCase, bytes.capacity(), scalar);
                }
            }
        }
    }

    private static int[][] shapes() {
        String spec = System.getProperty("bench.shapes");
        if (spec == null || spec.isBlank()) {
            return SHAPES;
        }
        String[] parts = spec.split(",");
        int[][] shapes = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            String[] dims = parts[i].strip().split("x");
            shapes[i] = new int[] {Integer.parseInt(dims[0]), Integer.parseInt(dims[1])};
        }
        return shapes;
    }

    private static void call(WeightMatrix w, float[] x, int nTokens, float[] y, boolean scalar) {
        if (scalar) {
            w.matmulScalar(x, w.cols(), nTokens, y, w.rows(), 0, w.rows());
        } else {
            w.matmul(x, w.cols(), nTokens, y, w.rows(), 0, w.rows());
        }
    }

    private static void run(WeightMatrix w, int nTokens, double seconds, long weightBytes, boolean scalar) {
        float[] x = new float[nTokens * w.cols()];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        float[] y = new float[nTokens * w.rows()];
        // warm up first: until C2 compiles them, Vector API kernels run 100x slower in the interpreter
        long warmUpEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmUpEnd) {
            call(w, x, nTokens, y, scalar);
        }
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int calls = 0;
        while (calls < 3 || System.nanoTime() < deadline) {
            long start = System.nanoTime();
            call(w, x, nTokens, y, scalar);
            best = Math.min(best, System.nanoTime() - start);
            calls++;
        }
        double flops = 2.0 * w.rows() * w.cols() * nTokens;
        System.out.printf(Locale.ROOT, "%-5s %6d %5d %7d %10.1f %9.2f %8.2f%n", w.type(), w.rows(), w.cols(),
                nTokens, best / 1e3, flops / best, weightBytes / best);
    }
}
