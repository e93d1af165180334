package io.prefixflow.runtime.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What this machine can do at most, measured: the fused multiply-add rate of one core at the Vector API's
 * preferred species, and the rate at which {@code threads} threads can stream floats from memory. Benchmarks
 * divide their figures by these to say how close to the machine's limit they are: prefill and batched decode by
 * the FMA peak, decode of one sequence (every weight read once per token) by the read bandwidth.
 *
 * @param cpuModel          {@code model name} from /proc/cpuinfo, or "unknown"
 * @param vectorBits        the preferred species' width in bits
 * @param fmaGflopsPerCore  best of a few runs of independent FMA chains on one thread, GFLOP/s (an FMA is 2)
 * @param threads           threads of the bandwidth probe
 * @param readGBps          best of a few passes summing a buffer far larger than the caches, GB/s (10^9 bytes)
 */
public record MachineLimits(String cpuModel, int vectorBits, double fmaGflopsPerCore, int threads,
                            double readGBps) {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators: enough to cover FMA latency x ports on current x86 and ARM cores. */
    private static final int CHAINS = 12;
    private static final int BANDWIDTH_FLOATS = 64 << 20;
    /** Keeps the FMA chains' result alive. */
    private static volatile float SINK;

    /** Measures (a few seconds). */
    public static MachineLimits measure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        double fma = 0;
        for (int run = 0; run < 5; run++) {
            fma = Math.max(fma, measureFmaGflops(200_000_000L / SPECIES.length()));
        }
        float[] buffer = new float[BANDWIDTH_FLOATS];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (i & 1023) * 1e-3f;
        }
        double bandwidth = 0;
        for (int run = 0; run < 4; run++) {
            bandwidth = Math.max(bandwidth, measureReadGBps(buffer, threads));
        }
        return new MachineLimits(readCpuModel(), SPECIES.vectorBitSize(), fma, threads, bandwidth);
    }

    /** The FMA peak of {@code cores} cores, GFLOP/s. */
    public double fmaGflops(int cores) {
        return fmaGflopsPerCore * cores;
    }

    private static double measureFmaGflops(long iterations) {
        // twelve locals, not an array, so that the JIT keeps every chain in a register
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 1e-3f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 2e-3f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 3e-3f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 4e-3f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 5e-3f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 6e-3f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 7e-3f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 8e-3f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 9e-3f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 10e-3f);
        FloatVector a11 = FloatVector.broadcast(SPECIES, 11e-3f);
        FloatVector m = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-7f);
        long start = System.nanoTime();
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        float sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
        SINK = sink;
        return 2.0 * CHAINS * SPECIES.length() * iterations / seconds / 1e9;
    }

    private static double measureReadGBps(float[] buffer, int threads) {
        int chunk = buffer.length / threads / SPECIES.length() * SPECIES.length();
        double[] sums = new double[threads];
        List<Thread> workers = new ArrayList<>(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                FloatVector acc0 = FloatVector.zero(SPECIES);
                FloatVector acc1 = FloatVector.zero(SPECIES);
                int from = index * chunk;
                int to = from + chunk;
                int step = 2 * SPECIES.length();
                int i = from;
                for (; i + step <= to; i += step) {
                    acc0 = acc0.add(FloatVector.fromArray(SPECIES, buffer, i));
                    acc1 = acc1.add(FloatVector.fromArray(SPECIES, buffer, i + SPECIES.length()));
                }
                sums[index] = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring bandwidth", e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return (double) chunk * threads * Float.BYTES / seconds / 1e9;
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.toLowerCase(Locale.ROOT).startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the other figures still stand
        }
        return "unknown";
    }
}
