package io.prefixflow.jobs.bench;

import java.util.Random;

/**
 * When each request is sent, in ms after the start: a Poisson process (exponential gaps of mean
 * {@code 1000 / ratePerS} ms, from a seeded random) or, for an infinite rate, everything at 0.
 */
public final class Arrivals {
    private Arrivals() {
    }

    /** {@code count} arrival offsets in ms. */
    public static double[] ofCount(int count, double ratePerS, long seed) {
        Random random = new Random(seed);
        double[] at = new double[count];
        double t = 0;
        for (int i = 0; i < count; i++) {
            if (i > 0 && Double.isFinite(ratePerS)) {
                t += gapMs(random, ratePerS);
            }
            at[i] = t;
        }
        return at;
    }

    /** The arrivals of a Poisson process of {@code ratePerS} within {@code durationS}: at least one. */
    public static double[] ofDuration(double durationS, double ratePerS, long seed) {
        if (!Double.isFinite(ratePerS)) {
            throw new IllegalArgumentException("--duration needs a finite --request-rate (with inf give"
                    + " --num-requests)");
        }
        Random random = new Random(seed);
        int count = 1;
        double t = 0;
        while (true) {
            t += gapMs(random, ratePerS);
            if (t > durationS * 1000) {
                break;
            }
            count++;
        }
        return ofCount(count, ratePerS, seed);
    }

    private static double gapMs(Random random, double ratePerS) {
        return -Math.log(1 - random.nextDouble()) * 1000 / ratePerS;
    }
}
