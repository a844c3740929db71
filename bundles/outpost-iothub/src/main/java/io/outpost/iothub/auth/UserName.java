package io.outpost.iothub.auth;

import io.outpost.iothub.ClientIdentity;
import java.util.Optional;

/**
 * The parts of an IoT Hub MQTT user name, {@code <hub>/<device>[/<module>]} then optionally {@code /?<query>}.
 *
 * @param hub      the hub's host name
 * @param deviceId the device id
 * @param moduleId the module id, for a module
 */
public record UserName(String hub, String deviceId, Optional<String> moduleId) {

    /** The parts, or empty when the user name has another shape (or is null). */
    public static Optional<UserName> parse(String username) {
        if (username == null) {
            return Optional.empty();
        }
        int query = username.indexOf("/?");
        String path = query < 0 ? username : username.substring(0, query);
        String[] parts = path.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        if (parts.length == 2) {
            return Optional.of(new UserName(parts[0], parts[1], Optional.empty()));
        }
        if (parts.length == 3) {
            return Optional.of(new UserName(parts[0], parts[1], Optional.of(parts[2])));
        }
        return Optional.empty();
    }

    /** {@code <device>} or {@code <device>/<module>}: the client id this user name goes with. */
    public String clientId() {
        return moduleId.map(m -> deviceId + "/" + m).orElse(deviceId);
    }

    /** The identity it names. */
    public ClientIdentity identity() {
        return new ClientIdentity(deviceId, moduleId);
    }
}
