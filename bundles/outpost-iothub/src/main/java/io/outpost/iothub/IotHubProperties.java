package io.outpost.iothub;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * IoT Hub's message codec, shared by the dialect server, the edge hub, the cloud's endpoint, the cloud link and the
 * CLI: the system property names as IoT Hub's route language and Azure's SDKs write them ({@link #MESSAGE_ID},
 * ...), their short keys in the MQTT property bag ({@code $.mid}, ...), and the bag itself, the last topic level
 * {@code k=v&k2=v2} (URL-encoded) where keys starting with {@code $.} are system properties and the rest application
 * properties. A system property without a short key is written {@code $.<name>} ({@code $.messageSchema}) and read
 * back under its own name. Plain Java: no Netty type, usable outside OSGi.
 */
public final class IotHubProperties {

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
    /** The input a module receives the message on; the topic carries it ({@code .../inputs/<input>/}). */
    public static final String INPUT_NAME = "inputName";
    /** The device that sent a message ({@code $.cdid}); set by the receiving side, never taken from a client. */
    public static final String CONNECTION_DEVICE_ID = "connectionDeviceId";
    /** The module that sent a message ({@code $.cmid}); set by the receiving side, never taken from a client. */
    public static final String CONNECTION_MODULE_ID = "connectionModuleId";

    /** The prefix of a system property's key in the bag. */
    public static final String SYSTEM_PREFIX = "$.";

    /**
     * The system properties the sender of a message sets (as a cloud-to-device message carries them): message id,
     * correlation id, user id, content type and encoding, to, absolute expiry and creation time.
     */
    public static final Set<String> MESSAGE_PROPERTIES = Set.of(MESSAGE_ID, CORRELATION_ID, USER_ID, CONTENT_TYPE,
            CONTENT_ENCODING, TO, ABSOLUTE_EXPIRY_TIME, CREATION_TIME_UTC);

    /** Longest part of a bad bag quoted in an error. */
    private static final int QUOTE_LIMIT = 200;

    /** Short bag keys and the system property names they stand for. */
    private static final Map<String, String> KEY_TO_NAME = Map.ofEntries(
            Map.entry("$.mid", MESSAGE_ID),
            Map.entry("$.cid", CORRELATION_ID),
            Map.entry("$.uid", USER_ID),
            Map.entry("$.ct", CONTENT_TYPE),
            Map.entry("$.ce", CONTENT_ENCODING),
            Map.entry("$.to", TO),
            Map.entry("$.exp", ABSOLUTE_EXPIRY_TIME),
            Map.entry("$.ctime", CREATION_TIME_UTC),
            Map.entry("$.on", OUTPUT_NAME),
            Map.entry("$.cdid", CONNECTION_DEVICE_ID),
            Map.entry("$.cmid", CONNECTION_MODULE_ID));
    private static final Map<String, String> NAME_TO_KEY = new TreeMap<>();

    static {
        KEY_TO_NAME.forEach((key, name) -> NAME_TO_KEY.put(name, key));
    }

    private IotHubProperties() {
    }

    /** The system property names that have a short bag key, with that key ({@code messageId -> $.mid}, ...). */
    public static Map<String, String> bagKeys() {
        return Map.copyOf(NAME_TO_KEY);
    }

    /** The key of a system property in the bag: its short key ({@code $.mid}), else {@code $.<name>}. */
    public static String bagKey(String name) {
        return NAME_TO_KEY.getOrDefault(name, SYSTEM_PREFIX + name);
    }

    /**
     * The system property a bag key stands for ({@code $.mid -> messageId}, {@code $.messageSchema ->
     * messageSchema}).
     *
     * @throws IllegalArgumentException if the key does not start with {@code $.}
     */
    public static String systemName(String bagKey) {
        if (!bagKey.startsWith(SYSTEM_PREFIX)) {
            throw new IllegalArgumentException("'" + abbreviate(bagKey) + "' is not a system property's bag key");
        }
        return KEY_TO_NAME.getOrDefault(bagKey, bagKey.substring(SYSTEM_PREFIX.length()));
    }

    /** Whether a bag key has a short form this codec knows ({@code $.mid}, ...). */
    public static boolean isKnownBagKey(String bagKey) {
        return KEY_TO_NAME.containsKey(bagKey);
    }

    /**
     * Decodes the bag a client sent with its body. {@link #CONNECTION_DEVICE_ID} and {@link #CONNECTION_MODULE_ID}
     * are dropped (the receiving side sets them from the connection), and so is an empty {@link #OUTPUT_NAME}. A
     * system key without a short form keeps its name ({@code $.messageSchema=x} gives {@code messageSchema}).
     *
     * @throws IllegalArgumentException naming the property whose key or value is not valid URL encoding, or a
     *     property without a name
     */
    public static IotMessage decode(String bag, byte[] body) {
        Map<String, String> system = new TreeMap<>();
        Map<String, String> application = new TreeMap<>();
        for (String pair : bag.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decodePart(rawName, "the name of property '" + abbreviate(rawName) + "'");
            String value = eq < 0 ? "" : decodePart(pair.substring(eq + 1),
                    "the value of property '" + abbreviate(name) + "'");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a property of the bag has no name");
            }
            if (name.startsWith(SYSTEM_PREFIX)) {
                String systemName = systemName(name);
                if (systemName.isEmpty()) {
                    throw new IllegalArgumentException("a system property of the bag has no name");
                }
                if (!systemName.equals(CONNECTION_DEVICE_ID) && !systemName.equals(CONNECTION_MODULE_ID)
                        && !(systemName.equals(OUTPUT_NAME) && value.isEmpty())) {
                    system.put(systemName, value);
                }
            } else {
                application.put(name, value);
            }
        }
        return new IotMessage(system, application, body);
    }

    /**
     * The bag of a message: every system property under its bag key (in the order of their IoT Hub names), then
     * the application properties (in the order of their names), URL-encoded with spaces as {@code %20}.
     */
    public static String encode(IotMessage message) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(message.systemProperties()).forEach((name, value) -> append(out, bagKey(name), value));
        new TreeMap<>(message.properties()).forEach((name, value) -> append(out, name, value));
        return out.toString();
    }

    /** A text quoted in an error or a log line, cut to 200 characters; {@code null} gives the empty string. */
    public static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= QUOTE_LIMIT ? s : s.substring(0, QUOTE_LIMIT) + "...";
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

    private static String decodePart(String s, String what) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL encoding in " + what + ": '" + abbreviate(s) + "'");
        }
    }
}
