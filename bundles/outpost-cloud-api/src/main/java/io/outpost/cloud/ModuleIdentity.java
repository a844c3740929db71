package io.outpost.cloud;

import java.time.Instant;
import java.util.Objects;

/**
 * A module identity of a device: what a module on an edge device authenticates with. Its twin is the module
 * twin {@code <deviceId>/<moduleId>}.
 */
public record ModuleIdentity(String deviceId, String moduleId, DeviceAuth auth, Instant createdAt) {

    public ModuleIdentity {
        Ids.device(deviceId);
        Ids.module(moduleId);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
