package io.outpost.hub.internal;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * Who an authenticated MQTT connection is: a module ({@code device/module}) or a leaf device. Kept as a
 * principal of the connection's subject.
 *
 * @param deviceId the device id
 * @param moduleId the module id, for a module
 */
record ClientIdentity(String deviceId, Optional<String> moduleId) implements Principal {

    ClientIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(moduleId, "moduleId");
    }

    /** {@code <device>} or {@code <device>/<module>}, as the MQTT client id. */
    @Override
    public String getName() {
        return moduleId.map(m -> deviceId + "/" + m).orElse(deviceId);
    }

    @Override
    public String toString() {
        return getName();
    }
}
