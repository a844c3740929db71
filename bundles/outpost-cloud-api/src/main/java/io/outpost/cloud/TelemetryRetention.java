package io.outpost.cloud;

import java.time.Duration;
import java.util.Objects;

/**
 * How much telemetry the cloud keeps per device: messages older than {@code maxAge} and all but the newest
 * {@code maxPerDevice} are removed.
 */
public record TelemetryRetention(Duration maxAge, int maxPerDevice) {

    public TelemetryRetention {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (maxPerDevice < 1) {
            throw new IllegalArgumentException("maxPerDevice must be at least 1: " + maxPerDevice);
        }
    }
}
