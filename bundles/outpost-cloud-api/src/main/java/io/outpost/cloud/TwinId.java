package io.outpost.cloud;

import java.util.Objects;
import java.util.Optional;

/** Names a device twin ({@code moduleId} empty) or a module twin. Written {@code device} or {@code device/module}. */
public record TwinId(String deviceId, Optional<String> moduleId) {

    public TwinId {
        Ids.device(deviceId);
        Objects.requireNonNull(moduleId, "moduleId").ifPresent(Ids::module);
    }

    public static TwinId device(String deviceId) {
        return new TwinId(deviceId, Optional.empty());
    }

    public static TwinId module(String deviceId, String moduleId) {
        return new TwinId(deviceId, Optional.of(moduleId));
    }

    public boolean isModule() {
        return moduleId.isPresent();
    }

    @Override
    public String toString() {
        return moduleId.map(m -> deviceId + "/" + m).orElse(deviceId);
    }
}
