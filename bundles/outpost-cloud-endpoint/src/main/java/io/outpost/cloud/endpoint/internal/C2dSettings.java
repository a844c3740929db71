package io.outpost.cloud.endpoint.internal;

import java.time.Duration;

/**
 * The cloud-to-device queue's settings.
 *
 * @param maxQueued  unexpired messages a device's queue holds at most (IoT Hub: 50); one more is refused
 * @param defaultTtl time to live of a message sent without one
 * @param sweep      how often this node looks in the store for queued messages of the devices connected to it
 *                   (messages another node queued)
 */
record C2dSettings(int maxQueued, Duration defaultTtl, Duration sweep) {

    /** IoT Hub's longest time to live of a cloud-to-device message. */
    static final Duration MAX_TTL = Duration.ofHours(48);

    C2dSettings {
        if (maxQueued < 1 || maxQueued > 5000) {
            throw new IllegalArgumentException("c2dMaxQueued must be between 1 and 5000: " + maxQueued);
        }
        if (defaultTtl == null || defaultTtl.compareTo(Duration.ofSeconds(1)) < 0 || defaultTtl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("c2dDefaultTtlSecs must be between 1 and " + MAX_TTL.toSeconds() + ": "
                    + (defaultTtl == null ? null : defaultTtl.toSeconds()));
        }
        if (sweep == null || sweep.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("c2dSweepSecs must be at least 1: "
                    + (sweep == null ? null : sweep.toSeconds()));
        }
    }

    /** IoT Hub's defaults: 50 messages, one hour to live; a sweep every 5 seconds. */
    static C2dSettings defaults() {
        return new C2dSettings(50, Duration.ofHours(1), Duration.ofSeconds(5));
    }
}
