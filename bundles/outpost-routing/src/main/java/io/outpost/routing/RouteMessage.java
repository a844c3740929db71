package io.outpost.routing;

import java.util.Map;
import java.util.Objects;

/**
 * A message as routes see it. System property names are those of IoT Hub ({@code messageId},
 * {@code contentType}, {@code contentEncoding}, {@code connectionDeviceId}, {@code connectionModuleId},
 * {@code outputName}, ...); application properties are whatever the sender set. Both maps are copied.
 * Conditions look names up as Azure IoT Edge does, ignoring case (the exact name first); {@link #property}
 * and {@link #systemProperty} are exact.
 * The body array is not copied: callers must not change it after handing it over.
 *
 * @param source           where the message entered the hub
 * @param systemProperties system properties by name
 * @param properties       application properties by name
 * @param body             the payload, possibly empty
 */
public record RouteMessage(MessageSource source, Map<String, String> systemProperties,
        Map<String, String> properties, byte[] body) {

    /** System property that, with {@link #CONTENT_ENCODING}, decides whether {@code $body} can be queried. */
    public static final String CONTENT_TYPE = "contentType";
    /** System property naming the body's character encoding. */
    public static final String CONTENT_ENCODING = "contentEncoding";

    private static final byte[] EMPTY = new byte[0];

    public RouteMessage {
        Objects.requireNonNull(source, "source");
        systemProperties = Map.copyOf(Objects.requireNonNull(systemProperties, "systemProperties"));
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        body = body == null ? EMPTY : body;
    }

    public String systemProperty(String name) {
        return systemProperties.get(name);
    }

    public String property(String name) {
        return properties.get(name);
    }
}
