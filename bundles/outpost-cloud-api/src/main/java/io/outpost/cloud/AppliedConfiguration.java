package io.outpost.cloud;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device gets: its base deployment, the layers applied on top, and the resulting {@code modulesContent}
 * (JSON text), which holds the desired properties of {@code $edgeAgent}, {@code $edgeHub} and each module twin.
 *
 * @param deviceId the device
 * @param base the base deployment's id; empty when no base deployment targets the device (then no layer
 *     applies either)
 * @param layers the layered deployments' ids, in the order they were applied
 * @param modulesContent the merged content; {@code {}} when there is no base
 */
public record AppliedConfiguration(String deviceId, Optional<String> base, List<String> layers,
        String modulesContent) {

    public AppliedConfiguration {
        Ids.device(deviceId);
        Objects.requireNonNull(base, "base");
        layers = List.copyOf(layers);
        Objects.requireNonNull(modulesContent, "modulesContent");
    }

    /** Whether a deployment is this device's base or one of its layers. */
    public boolean includes(String deploymentId) {
        return base.filter(deploymentId::equals).isPresent() || layers.contains(deploymentId);
    }
}
