package io.outpost.cloud;

/** Where a device targeted by a deployment stands with it. */
public enum DeviceDeploymentState {
    /** The condition matches, but another deployment won (a higher priority or a newer one). */
    TARGETED,
    /** Applied; the device has not yet reported the applied configuration. */
    PENDING,
    /** Applied, and the device reports it running as desired. */
    SUCCEEDED,
    /** Applied, and the device reports an error for it. */
    FAILED
}
