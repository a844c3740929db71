package io.outpost.iothub;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a connection is: a leaf (or edge) device, or a module of a device.
 *
 * @param deviceId the device id
 * @param moduleId the module id, for a module
 */
public record ClientIdentity(String deviceId, Optional<String> moduleId) {

    public ClientIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(moduleId, "moduleId");
        if (deviceId.isEmpty() || deviceId.contains("/")) {
            throw new IllegalArgumentException("deviceId must be non-empty and without '/': " + deviceId);
        }
        if (moduleId.isPresent() && (moduleId.get().isEmpty() || moduleId.get().contains("/"))) {
            throw new IllegalArgumentException("moduleId must be non-empty and without '/': " + moduleId.get());
        }
    }

    public static ClientIdentity device(String deviceId) {
        return new ClientIdentity(deviceId, Optional.empty());
    }

    public static ClientIdentity module(String deviceId, String moduleId) {
        return new ClientIdentity(deviceId, Optional.of(moduleId));
    }

    /** Reads {@code <device>} or {@code <device>/<module>}. */
    public static ClientIdentity parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("identity must be <device> or <device>/<module>: null");
        }
        int slash = name.indexOf('/');
        return slash < 0 ? device(name) : module(name.substring(0, slash), name.substring(slash + 1));
    }

    public boolean isModule() {
        return moduleId.isPresent();
    }

    /** {@code <device>} or {@code <device>/<module>}: the MQTT client id of this identity. */
    public String name() {
        return moduleId.map(m -> deviceId + "/" + m).orElse(deviceId);
    }

    /** The topic prefix of this identity's own topics: {@code devices/<d>} or {@code devices/<d>/modules/<m>}. */
    public String topicPrefix() {
        return "devices/" + deviceId + moduleId.map(m -> "/modules/" + m).orElse("");
    }

    @Override
    public String toString() {
        return name();
    }
}
