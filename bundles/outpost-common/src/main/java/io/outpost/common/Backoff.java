package io.outpost.common;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off: the delay before attempt {@code n} (0-based count of failures so far) is
 * {@code min(initial * multiplier^n, max)}. Pure and immutable; callers keep their own failure counts.
 *
 * <p>{@link #azureModuleRestart()} is edgeAgent's module restart rule: {@code min(10 s * 2^n, 300 s)}.
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive: " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max (" + max + ") must not be below initial (" + initial + ")");
        }
    }

    /** edgeAgent's restart cool-off for modules: 10 s doubled per restart, capped at 5 minutes. */
    public static Backoff azureModuleRestart() {
        return new Backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5));
    }

    /** The delay to wait after {@code failures} consecutive failures (0 gives {@link #initial()}). */
    public Duration delay(int failures) {
        if (failures < 0) {
            throw new IllegalArgumentException("failures must not be negative: " + failures);
        }
        double millis = initial.toMillis() * Math.pow(multiplier, failures);
        if (millis >= max.toMillis() || Double.isInfinite(millis)) {
            return max;
        }
        return Duration.ofMillis((long) millis);
    }

    /**
     * Whether an action that last failed at {@code lastFailureNanos} (a {@link Clock#monotonicNanos()} reading),
     * after {@code failures} consecutive failures, may run again at {@code nowNanos}.
     */
    public boolean elapsed(int failures, long lastFailureNanos, long nowNanos) {
        return nowNanos - lastFailureNanos >= delay(failures).toNanos();
    }
}
