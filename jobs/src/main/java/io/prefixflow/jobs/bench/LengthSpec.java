package io.prefixflow.jobs.bench;

import java.util.Locale;
import java.util.Random;

/**
 * A token length with a distribution around it, drawn per request:
 * <ul>
 *   <li>{@code fixed}: always {@code mean};</li>
 *   <li>{@code uniform:R}: uniform on {@code [mean*(1-R), mean*(1+R)]}, {@code 0 <= R <= 1};</li>
 *   <li>{@code normal:R}: normal with standard deviation {@code R*mean}, {@code R >= 0}.</li>
 * </ul>
 * Draws are rounded and clamped to at least 1.
 *
 * @param mean  tokens
 * @param kind  the distribution
 * @param ratio its spread relative to the mean (0 for fixed)
 */
public record LengthSpec(int mean, Kind kind, double ratio) {
    /** The distributions. */
    public enum Kind { FIXED, UNIFORM, NORMAL }

    public LengthSpec {
        if (mean < 1) {
            throw new IllegalArgumentException("a length must be >= 1 token, got " + mean);
        }
        if (!(ratio >= 0) || (kind == Kind.UNIFORM && ratio > 1)) {
            throw new IllegalArgumentException("the spread of a " + kind.name().toLowerCase(Locale.ROOT)
                    + " length must be in [0, " + (kind == Kind.UNIFORM ? "1" : "inf") + "), got " + ratio);
        }
    }

    /** A fixed length. */
    public static LengthSpec fixed(int mean) {
        return new LengthSpec(mean, Kind.FIXED, 0);
    }

    /** Parses {@code fixed}, {@code uniform:R} or {@code normal:R}; {@code option} names the option in errors. */
    public static LengthSpec parse(String option, int mean, String dist) {
        try {
            String[] parts = dist.strip().split(":", 2);
            Kind kind = Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
            double ratio = kind == Kind.FIXED ? 0 : Double.parseDouble(parts[1]);
            return new LengthSpec(mean, kind, ratio);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(option + " " + dist + ": expected fixed, uniform:R or normal:R ("
                    + e.getMessage() + ")");
        }
    }

    /** One draw. */
    public int sample(Random random) {
        double value = switch (kind) {
            case FIXED -> mean;
            case UNIFORM -> mean * (1 - ratio + 2 * ratio * random.nextDouble());
            case NORMAL -> mean * (1 + ratio * random.nextGaussian());
        };
        return (int) Math.max(1, Math.round(value));
    }
}
