package io.prefixflow.jobs.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits for the JIT compiler of this JVM to go quiet before a measured run.
 *
 * <p>NOTE: why. Each {@code bench} run is a fresh job in the same JVM, and its first requests still compile code
 * (per-thread CPU time of {@code bench --compare routing} on 2 vCPUs: the compiler threads took 0.5 to 1.4 s of
 * CPU inside 7-second measured runs after the warm-up requests, more in some variants than in others), CPU the
 * engines then lack. A run measured while the compiler is busy measures the compiler.
 */
public final class JitSettle {
    /** What the wait saw. */
    public record Result(boolean settled, double waitedS, long compileMs) {
    }

    private JitSettle() {
    }

    /**
     * Polls the JVM's total compilation time until it grew by at most {@code quietCompileMs} over
     * {@code quietWindowMs}, or {@code maxWaitMs} passed.
     */
    public static Result await(long quietWindowMs, long quietCompileMs, long maxWaitMs) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long startNanos = System.nanoTime();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return new Result(false, 0, 0);
        }
        long startCompileMs = jit.getTotalCompilationTime();
        long step = Math.max(10, quietWindowMs / 4);
        long[] window = new long[(int) (quietWindowMs / step) + 1];
        int filled = 0;
        while (true) {
            long now = jit.getTotalCompilationTime();
            System.arraycopy(window, 0, window, 1, window.length - 1);
            window[0] = now;
            filled++;
            double waitedS = (System.nanoTime() - startNanos) / 1e9;
            if (filled >= window.length && now - window[window.length - 1] <= quietCompileMs) {
                return new Result(true, waitedS, now - startCompileMs);
            }
            if (waitedS * 1000 >= maxWaitMs) {
                return new Result(false, waitedS, now - startCompileMs);
            }
            Thread.sleep(step);
        }
    }
}
