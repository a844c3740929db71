package io.outpost.hub;

import java.util.Objects;

/**
 * A message handed to the {@link MessageRouter}: who sent it and what it holds. The system property names of
 * {@link Message#systemProperties()} are those of the route language ({@code messageId}, {@code contentType},
 * {@code contentEncoding}, ...); the hub's protocol adapters translate the MQTT property bag into them.
 *
 * @param origin  the kind of sender
 * @param id      the module id for {@link Origin#MODULE}, the device id for {@link Origin#DEVICE}, the id of the
 *                twin's owner for {@link Origin#TWIN_CHANGE}
 * @param output  the output the module sent on, or {@code null} (always {@code null} for other origins)
 * @param message the content
 */
public record IncomingMessage(Origin origin, String id, String output, Message message) {

    /** The kinds of sender. */
    public enum Origin { MODULE, DEVICE, TWIN_CHANGE }

    public IncomingMessage {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("sender id must not be empty");
        }
        if (output != null && (origin != Origin.MODULE || output.isEmpty())) {
            throw new IllegalArgumentException("only a module message has an output, and it is not empty");
        }
    }

    /** A message a module sent, on a named output or ({@code output == null}) on none. */
    public static IncomingMessage fromModule(String module, String output, Message message) {
        return new IncomingMessage(Origin.MODULE, module, output, message);
    }

    /** A message a leaf device sent. */
    public static IncomingMessage fromDevice(String deviceId, Message message) {
        return new IncomingMessage(Origin.DEVICE, deviceId, null, message);
    }
}
