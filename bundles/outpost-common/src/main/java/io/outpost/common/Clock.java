package io.outpost.common;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as Outpost's components see it. Production code receives a {@link SystemClock}; tests drive a
 * manual clock (outpost-common's test-jar) so that nothing sleeps. {@link #monotonicNanos()} measures elapsed time and never
 * jumps backwards when the wall clock is corrected (NTP on a gateway that booted without network).
 */
public interface Clock {

    /** The wall-clock time, for timestamps that leave the process (reports, logs, TTL deadlines on disk). */
    Instant now();

    /** A monotonic reading in nanoseconds, only meaningful as a difference between two readings. */
    long monotonicNanos();

    /** The time elapsed since an earlier {@link #monotonicNanos()} reading. */
    default Duration since(long monotonicNanosReading) {
        return Duration.ofNanos(monotonicNanos() - monotonicNanosReading);
    }
}
