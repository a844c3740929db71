package io.outpost.container;

import java.util.Objects;

/**
 * Whom a container belongs to: the device, the module and the deployment version; written to the
 * container's {@link ContainerLabels}.
 */
public record ContainerOwner(String deviceId, String moduleId, String deploymentVersion) {

    public ContainerOwner {
        requireText(deviceId, "deviceId");
        requireText(moduleId, "moduleId");
        requireText(deploymentVersion, "deploymentVersion");
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
