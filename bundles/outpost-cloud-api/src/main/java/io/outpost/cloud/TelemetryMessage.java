package io.outpost.cloud;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A device-to-cloud message as stored.
 *
 * @param sequence assigned by the store, increasing; 0 before it is stored
 * @param deviceId the sending device
 * @param moduleId the sending module, if a module sent it
 * @param enqueuedAt when the cloud received it
 * @param properties application and system properties ({@code $.mid}, {@code $.ct}, ...)
 * @param body the payload
 */
public record TelemetryMessage(long sequence, String deviceId, Optional<String> moduleId, Instant enqueuedAt,
        SortedMap<String, String> properties, byte[] body) {

    public TelemetryMessage {
        Ids.device(deviceId);
        Objects.requireNonNull(moduleId, "moduleId").ifPresent(Ids::module);
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        properties = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(properties));
        body = body.clone();
    }

    /** A message to append; the store assigns the sequence. */
    public static TelemetryMessage of(String deviceId, Optional<String> moduleId, Instant enqueuedAt,
            Map<String, String> properties, byte[] body) {
        return new TelemetryMessage(0, deviceId, moduleId, enqueuedAt, new TreeMap<>(properties), body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TelemetryMessage m && sequence == m.sequence && deviceId.equals(m.deviceId)
                && moduleId.equals(m.moduleId) && enqueuedAt.equals(m.enqueuedAt)
                && properties.equals(m.properties) && java.util.Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, deviceId, moduleId, enqueuedAt, properties) * 31
                + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "TelemetryMessage[" + sequence + ", " + deviceId + moduleId.map(m -> "/" + m).orElse("") + ", "
                + enqueuedAt + ", " + properties + ", " + body.length + " bytes]";
    }
}
