package io.prefixflow.jobs.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Waits for the JIT compiler of this JVM to go quiet before a measured run.
 *
 * <p>NOTE: why. Each {@code bench} run is a fresh job in the same JVM, and its first requests still compile code
 * (per-thread CPU time of {@code bench --compare routing} on 2 vCPUs: the compiler threads took 0.5 to 1.4 s of
 * CPU inside 7-second measured runs after the warm-up requests, more in some variants than in others), CPU the
 * engines then lack. A run measured while the compiler is busy measures the compiler.
 */
public final class JitSettle {
    /** Quiet means at most this much compiling over this window... */
    private static final long QUIET_WINDOW_MS = 1_000;
    private static final long QUIET_COMPILE_MS = 20;
    /** ...and the wait gives up after this long. */
    private static final long MAX_WAIT_MS = 30_000;

    /** What the wait saw. */
    public record Result(boolean settled, double waitedS, long compileMs) {
        /** One line for the log: whether the JIT went quiet, after how long, and how much it compiled meanwhile. */
        public String summary() {
            return String.format(Locale.ROOT, "JIT %s after %.1f s (%d ms of compiling meanwhile)",
                    settled ? "quiet" : "still compiling", waitedS, compileMs);
        }
    }

    private JitSettle() {
    }

    /** {@link #await} with the benchmarks' settings: at most 20 ms of compiling in a second, 30 s at most. */
    public static Result awaitBeforeMeasuring() throws InterruptedException {
        return await(QUIET_WINDOW_MS, QUIET_COMPILE_MS, MAX_WAIT_MS);
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
