package io.outpost.routing;

import java.util.Objects;

/**
 * Where a message entered the hub: a module's output (the output name may be absent when the module sent
 * without one), a leaf device, or a twin change notification.
 *
 * @param type   the kind of sender
 * @param id     the module id for {@link Type#MODULE}, the device id for {@link Type#DEVICE}, the id of the
 *               device or module whose twin changed for {@link Type#TWIN_CHANGE}
 * @param output the module's output name, or {@code null}; always {@code null} for the other types
 */
public record MessageSource(Type type, String id, String output) {

    /** The kind of sender. */
    public enum Type { MODULE, DEVICE, TWIN_CHANGE }

    public MessageSource {
        Objects.requireNonNull(type, "type");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("message source id must not be empty");
        }
        if (output != null && (type != Type.MODULE || output.isEmpty())) {
            throw new IllegalArgumentException("only a module message has an output, and it is not empty");
        }
    }

    public static MessageSource module(String module, String output) {
        return new MessageSource(Type.MODULE, module, output);
    }

    public static MessageSource device(String deviceId) {
        return new MessageSource(Type.DEVICE, deviceId, null);
    }

    public static MessageSource twinChange(String id) {
        return new MessageSource(Type.TWIN_CHANGE, id, null);
    }
}
