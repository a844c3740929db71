package io.outpost.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A clock that moves only when told to, for tests of time-dependent logic (back-off, TTL, restart
 * windows). Wall and monotonic time advance together. Thread-safe. Test support, never shipped: other modules'
 * tests take it from outpost-common's test-jar.
 */
public final class ManualClock implements Clock {

    private Instant now;
    private long nanos;

    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** A clock starting at 2026-01-01T00:00:00Z. */
    public static ManualClock atEpochOf2026() {
        return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long monotonicNanos() {
        return nanos;
    }

    /** Moves both clocks forward; a negative duration is refused, time never runs backwards here. */
    public synchronized ManualClock advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        now = now.plus(duration);
        nanos += duration.toNanos();
        return this;
    }

    @Override
    public synchronized String toString() {
        return "ManualClock[" + now + "]";
    }
}
