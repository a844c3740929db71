package io.outpost.iothub;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message in IoT Hub's model: system properties by their IoT Hub names ({@link #MESSAGE_ID}, {@link
 * #CONTENT_TYPE}, ...; the MQTT property bag writes them {@code $.mid}, {@code $.ct}, ...), application
 * properties, and the body. Immutable.
 */
public record IotMessage(Map<String, String> systemProperties, Map<String, String> properties, byte[] body) {

    public static final String MESSAGE_ID = "messageId";
    public static final String CORRELATION_ID = "correlationId";
    public static final String USER_ID = "userId";
    public static final String CONTENT_TYPE = "contentType";
    public static final String CONTENT_ENCODING = "contentEncoding";
    public static final String TO = "to";
    public static final String ABSOLUTE_EXPIRY_TIME = "absoluteExpiryTime";
    public static final String CREATION_TIME_UTC = "creationTimeUtc";
    /** The output a module sent the message on ({@code $.on}). */
    public static final String OUTPUT_NAME = "outputName";
    /** The device that sent a message ({@code $.cdid}); set by the receiving side, never taken from a client. */
    public static final String CONNECTION_DEVICE_ID = "connectionDeviceId";
    /** The module that sent a message ({@code $.cmid}); set by the receiving side, never taken from a client. */
    public static final String CONNECTION_MODULE_ID = "connectionModuleId";

    public IotMessage {
        systemProperties = Map.copyOf(Objects.requireNonNull(systemProperties, "systemProperties"));
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        body = Objects.requireNonNull(body, "body").clone();
    }

    public static IotMessage of(byte[] body) {
        return new IotMessage(Map.of(), Map.of(), body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IotMessage m && systemProperties.equals(m.systemProperties)
                && properties.equals(m.properties) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(systemProperties, properties, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "IotMessage[systemProperties=" + systemProperties + ", properties=" + properties + ", body="
                + body.length + " bytes]";
    }
}
