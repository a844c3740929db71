package io.outpost.cloud;

import java.time.Instant;
import java.util.Objects;

/**
 * A cloud-to-device message in a device's queue.
 *
 * @param seq            its position in the store, increasing with each message queued (oldest first)
 * @param deviceId       the device it is for
 * @param message        the message; {@link CloudToDeviceMessage#messageId()} is never empty here and {@code ttl}
 *                       is the one applied
 * @param enqueuedAt     when it was queued
 * @param expiresAt      when it expires ({@code $.exp})
 * @param state          where it stands
 * @param deliveryCount  how often it was sent to the device
 * @param stateChangedAt when it reached its state
 */
public record C2dEntry(long seq, String deviceId, CloudToDeviceMessage message, Instant enqueuedAt,
        Instant expiresAt, C2dState state, int deliveryCount, Instant stateChangedAt) {

    public C2dEntry {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateChangedAt, "stateChangedAt");
    }

    /** This entry in another state. */
    public C2dEntry withState(C2dState newState, Instant at) {
        return new C2dEntry(seq, deviceId, message, enqueuedAt, expiresAt, newState, deliveryCount, at);
    }
}
