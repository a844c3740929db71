package io.outpost.hub.internal;

import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The IoT Hub dialect's telemetry topics: {@code devices/<d>/messages/events/<bag>} for a leaf device and
 * {@code devices/<d>/modules/<m>/messages/events/<bag>} for a module. The property bag is url-encoded
 * {@code k=v&k2=v2}; names starting with {@code $.} are system properties ({@code $.on} is the module's output),
 * the rest application properties.
 */
final class TelemetryTopic {

    private static final String EVENTS = "/messages/events";
    private static final Map<String, String> SYSTEM = Map.of(
            "$.mid", "messageId",
            "$.cid", "correlationId",
            "$.uid", "userId",
            "$.ct", "contentType",
            "$.ce", "contentEncoding",
            "$.to", "to",
            "$.exp", "absoluteExpiryTime",
            "$.ctime", "creationTimeUtc");
    private static final String OUTPUT = "$.on";
    /** Set by the hub from the connection, never taken from a client's bag. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of(Router.CONNECTION_DEVICE_ID,
            Router.CONNECTION_MODULE_ID, Router.OUTPUT_NAME);

    private TelemetryTopic() {
    }

    /**
     * The message the identity sent on {@code topic}, or empty when the topic is not one of that identity's
     * telemetry topics.
     *
     * @throws IllegalArgumentException when the property bag cannot be decoded
     */
    static Optional<IncomingMessage> decode(ClientIdentity identity, String topic, byte[] body) {
        String own = "devices/" + identity.deviceId()
                + identity.moduleId().map(m -> "/modules/" + m).orElse("") + EVENTS;
        if (topic == null || !topic.startsWith(own)) {
            return Optional.empty();
        }
        String rest = topic.substring(own.length());
        if (!rest.isEmpty() && !rest.startsWith("/")) {
            return Optional.empty();
        }
        String bag = rest.isEmpty() ? "" : rest.substring(1);
        Map<String, String> system = new HashMap<>();
        Map<String, String> properties = new HashMap<>();
        String output = null;
        for (String pair : bag.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodePart(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodePart(pair.substring(eq + 1));
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a property of the bag has no name");
            }
            if (OUTPUT.equals(name)) {
                output = value.isEmpty() ? null : value;
            } else if (SYSTEM.containsKey(name)) {
                system.put(SYSTEM.get(name), value);
            } else if (name.startsWith("$.")) {
                if (!RESERVED.contains(name.substring(2))) {
                    system.put(name.substring(2), value);
                }
            } else {
                properties.put(name, value);
            }
        }
        Message message;
        if (identity.moduleId().isPresent()) {
            system.put(Router.CONNECTION_DEVICE_ID, identity.deviceId());
            message = new Message(system, properties, body);
            return Optional.of(IncomingMessage.fromModule(identity.moduleId().get(), output, message));
        }
        message = new Message(system, properties, body);
        return Optional.of(IncomingMessage.fromDevice(identity.deviceId(), message));
    }

    private static String decodePart(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
