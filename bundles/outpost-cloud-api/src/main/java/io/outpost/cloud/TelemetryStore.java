package io.outpost.cloud;

import java.util.List;

/** Device-to-cloud telemetry, kept within the configured {@link TelemetryRetention}. */
public interface TelemetryStore {

    /** Stores a message and returns it with its sequence; older messages beyond the limits are removed. */
    TelemetryMessage append(TelemetryMessage message);

    /** The newest messages of a device (at most {@code limit}), newest first, within the retention age. */
    List<TelemetryMessage> recent(String deviceId, int limit);

    /** Removes every message beyond the retention limits, of all devices; returns how many were removed. */
    int prune();

    TelemetryRetention retention();
}
