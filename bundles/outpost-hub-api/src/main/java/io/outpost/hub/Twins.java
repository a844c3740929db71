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
}
