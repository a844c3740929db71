package io.outpost.cloud;

import java.util.Objects;

/**
 * One targeted device's status for one deployment.
 *
 * @param deviceId the device
 * @param state where it stands
 * @param detail why, for people: the reported code and description, or the module that differs
 */
public record DeviceDeploymentStatus(String deviceId, DeviceDeploymentState state, String detail) {

    public DeviceDeploymentStatus {
        Ids.device(deviceId);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }
}
