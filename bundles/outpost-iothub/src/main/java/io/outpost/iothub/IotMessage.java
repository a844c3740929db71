package io.outpost.iothub;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message in IoT Hub's model: system properties by their IoT Hub names ({@link #MESSAGE_ID}, {@link
 * #CONTENT_TYPE}, ...; the MQTT property bag writes them {@code $.mid}, {@code $.ct}, ...), application
 * properties, and the body. Immutable. Its name constants are {@link IotHubProperties}' (IoT Hub's message codec).
 */
public record IotMessage(Map<String, String> systemProperties, Map<String, String> properties, byte[] body) {

    public static final String MESSAGE_ID = IotHubProperties.MESSAGE_ID;
    public static final String CORRELATION_ID = IotHubProperties.CORRELATION_ID;
    public static final String USER_ID = IotHubProperties.USER_ID;
    public static final String CONTENT_TYPE = IotHubProperties.CONTENT_TYPE;
    public static final String CONTENT_ENCODING = IotHubProperties.CONTENT_ENCODING;
    public static final String TO = IotHubProperties.TO;
    public static final String ABSOLUTE_EXPIRY_TIME = IotHubProperties.ABSOLUTE_EXPIRY_TIME;
    public static final String CREATION_TIME_UTC = IotHubProperties.CREATION_TIME_UTC;
    /** The output a module sent the message on ({@code $.on}). */
    public static final String OUTPUT_NAME = IotHubProperties.OUTPUT_NAME;
    /** The device that sent a message ({@code $.cdid}); set by the receiving side, never taken from a client. */
    public static final String CONNECTION_DEVICE_ID = IotHubProperties.CONNECTION_DEVICE_ID;
    /** The module that sent a message ({@code $.cmid}); set by the receiving side, never taken from a client. */
    public static final String CONNECTION_MODULE_ID = IotHubProperties.CONNECTION_MODULE_ID;

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
