package io.outpost.iothub.internal;

import io.outpost.iothub.IotHubProperties;
import io.outpost.iothub.IotMessage;

/**
 * IoT Hub's MQTT property bag, the last topic level {@code k=v&k2=v2} (URL-encoded): names starting with
 * {@code $.} are system properties ({@code $.mid} messageId, ...), the rest application properties. The server's
 * view of the public codec, {@link IotHubProperties}.
 */
final class PropertyBag {

    private PropertyBag() {
    }

    /**
     * Decodes a bag a client sent. {@code connectionDeviceId} and {@code connectionModuleId} are dropped: the
     * receiving side sets them from the connection.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static IotMessage decode(String bag, byte[] body) {
        return IotHubProperties.decode(bag, body);
    }

    /** The bag of a message the server sends: system properties first, in a stable order. */
    static String encode(IotMessage message) {
        return IotHubProperties.encode(message);
    }

    static String abbreviate(String s) {
        return IotHubProperties.abbreviate(s);
    }
}
