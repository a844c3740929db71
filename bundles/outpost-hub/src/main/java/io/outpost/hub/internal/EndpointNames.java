package io.outpost.hub.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The broker names of an endpoint. Each endpoint has one multicast address, {@code outpost.endpoint.<id>},
 * with one durable queue per priority, {@code outpost.endpoint.<id>.p<priority>}, selected by the Artemis
 * priority of the message, and one anycast dead-letter address and queue, {@code outpost.deadletter.<id>}.
 * {@code <id>} is the endpoint name with every character other than {@code [A-Za-z0-9-]} written as
 * {@code _XX} (its UTF-8 bytes in hex), so that module inputs ({@code module/input}) and {@code $upstream}
 * never collide with the broker's wildcard characters.
 */
record EndpointNames(String endpoint, String address, String deadLetterAddress) {

    static final String ADDRESS_PREFIX = "outpost.endpoint.";
    static final String DEAD_LETTER_PREFIX = "outpost.deadletter.";
    private static final int MAX_ENDPOINT_LENGTH = 200;

    static EndpointNames of(String endpoint) {
        if (endpoint == null || endpoint.isBlank() || endpoint.length() > MAX_ENDPOINT_LENGTH) {
            throw new IllegalArgumentException("endpoint must be 1.." + MAX_ENDPOINT_LENGTH + " characters: "
                    + endpoint);
        }
        String id = encode(endpoint);
        return new EndpointNames(endpoint, ADDRESS_PREFIX + id, DEAD_LETTER_PREFIX + id);
    }

    /** The queue holding the endpoint's messages of one priority (0 highest). */
    String queue(int priority) {
        return address + ".p" + priority;
    }

    /** The endpoint whose address this is, if it is an endpoint address. */
    static Optional<String> endpointOf(String address) {
        if (!address.startsWith(ADDRESS_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(decode(address.substring(ADDRESS_PREFIX.length())));
    }

    static String encode(String endpoint) {
        StringBuilder out = new StringBuilder();
        for (byte b : endpoint.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-')) {
                out.append(c);
            } else {
                out.append('_').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static String decode(String id) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '_' && i + 2 < id.length()) {
                bytes.write(Integer.parseInt(id.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
