package io.outpost.iothub.internal;

import io.outpost.iothub.IotMessage;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * IoT Hub's MQTT property bag, the last topic level {@code k=v&k2=v2} (URL-encoded): names starting with
 * {@code $.} are system properties ({@code $.mid} messageId, ...), the rest application properties.
 */
final class PropertyBag {

    /** Short bag names and the IoT Hub system property names they stand for. */
    private static final Map<String, String> SHORT_TO_NAME = Map.ofEntries(
            Map.entry("$.mid", IotMessage.MESSAGE_ID),
            Map.entry("$.cid", IotMessage.CORRELATION_ID),
            Map.entry("$.uid", IotMessage.USER_ID),
            Map.entry("$.ct", IotMessage.CONTENT_TYPE),
            Map.entry("$.ce", IotMessage.CONTENT_ENCODING),
            Map.entry("$.to", IotMessage.TO),
            Map.entry("$.exp", IotMessage.ABSOLUTE_EXPIRY_TIME),
            Map.entry("$.ctime", IotMessage.CREATION_TIME_UTC),
            Map.entry("$.on", IotMessage.OUTPUT_NAME),
            Map.entry("$.cdid", IotMessage.CONNECTION_DEVICE_ID),
            Map.entry("$.cmid", IotMessage.CONNECTION_MODULE_ID));
    private static final Map<String, String> NAME_TO_SHORT = new TreeMap<>();

    static {
        SHORT_TO_NAME.forEach((k, v) -> NAME_TO_SHORT.put(v, k));
    }

    private PropertyBag() {
    }

    /**
     * Decodes a bag a client sent. {@code connectionDeviceId} and {@code connectionModuleId} are dropped: the
     * receiving side sets them from the connection.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static IotMessage decode(String bag, byte[] body) {
        Map<String, String> system = new TreeMap<>();
        Map<String, String> application = new TreeMap<>();
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
            if (name.startsWith("$.")) {
                String systemName = SHORT_TO_NAME.getOrDefault(name, name.substring(2));
                if (systemName.isEmpty()) {
                    throw new IllegalArgumentException("a system property of the bag has no name");
                }
                if (!systemName.equals(IotMessage.CONNECTION_DEVICE_ID)
                        && !systemName.equals(IotMessage.CONNECTION_MODULE_ID)
                        && !(systemName.equals(IotMessage.OUTPUT_NAME) && value.isEmpty())) {
                    system.put(systemName, value);
                }
            } else {
                application.put(name, value);
            }
        }
        return new IotMessage(system, application, body);
    }

    /** The bag of a message the server sends: system properties first, in a stable order. */
    static String encode(IotMessage message) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(message.systemProperties()).forEach((name, value) ->
                append(out, NAME_TO_SHORT.getOrDefault(name, "$." + name), value));
        new TreeMap<>(message.properties()).forEach((name, value) -> append(out, name, value));
        return out.toString();
    }

    private static void append(StringBuilder out, String name, String value) {
        if (out.length() > 0) {
            out.append('&');
        }
        out.append(encodePart(name)).append('=').append(encodePart(value));
    }

    private static String encodePart(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decodePart(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL encoding in '" + abbreviate(s) + "'");
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
