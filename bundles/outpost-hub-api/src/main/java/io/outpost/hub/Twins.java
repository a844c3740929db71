package io.outpost.hub;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The twins the hub keeps for this device's modules and for its leaf devices, persisted on the device. A module's
 * desired properties come from the running deployment ({@code modulesContent.<module>.properties.desired}); reported
 * properties from the clients' PATCHes.
 */
@ProviderType
public interface Twins {

    /**
     * The twin of {@code <device>} or {@code <device>/<module>} as IoT Hub's twin GET answers it:
     * {@code {"desired":{...,"$version":n},"reported":{...,"$version":m}}}; empty when the hub holds none.
     */
    Optional<String> twin(String identity);

    /** The twin of a module of this device, by module name; empty when the hub holds none. */
    Optional<String> moduleTwin(String moduleId);

    /** The identities ({@code <device>} or {@code <device>/<module>}) whose twins the hub holds, sorted. */
    List<String> identities();

    /**
     * Replaces the desired properties of a leaf device's twin ({@code <device>}, a device registered on this edge;
     * module twins follow the deployment) with {@code desiredJson} (a JSON object, {@code $version} ignored), and
     * pushes the difference to the device when it is connected and subscribed.
     *
     * @return the new desired version, or empty when nothing changed
     * @throws IllegalArgumentException naming the field when the identity is a module or the JSON is not an object
     */
    java.util.OptionalLong setLeafDesired(String deviceId, String desiredJson);
}
