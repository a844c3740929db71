package io.outpost.hub;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message as a sender hands it to the hub: IoT Hub system properties (message id, content type,
 * connection module id, ...), application properties, and the body. Immutable: maps and body are copied.
 */
public record Message(Map<String, String> systemProperties, Map<String, String> properties, byte[] body) {

    public Message {
        systemProperties = Map.copyOf(Objects.requireNonNull(systemProperties, "systemProperties"));
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** A message with a body and no properties. */
    public static Message of(byte[] body) {
        return new Message(Map.of(), Map.of(), body);
    }

    /** A copy of the body (the record keeps its own). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The size the store's quota and statistics count for this message: the body plus the UTF-8 bytes of
     * every property name and value.
     */
    public long sizeBytes() {
        return body.length + MessageSizes.of(systemProperties) + MessageSizes.of(properties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && systemProperties.equals(m.systemProperties)
                && properties.equals(m.properties) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(systemProperties, properties, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "Message[systemProperties=" + systemProperties + ", properties=" + properties + ", body="
                + body.length + " bytes]";
    }
}
