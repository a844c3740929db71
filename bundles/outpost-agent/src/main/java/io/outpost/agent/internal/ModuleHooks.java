package io.outpost.agent.internal;

import io.outpost.container.ContainerSpec;
import io.outpost.security.ModuleEnvironment;
import io.outpost.security.ModuleProvisioning;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to a module around its container's life besides the engine calls: with the security feature,
 * a new identity generation, a workload socket and the {@code IOTEDGE_*} environment before each create, the
 * socket served again for existing containers, and the identity retired when the module leaves. Without it,
 * nothing.
 */
final class ModuleHooks {

    private final Optional<ModuleProvisioning> provisioning;

    ModuleHooks(Optional<ModuleProvisioning> provisioning) {
        this.provisioning = provisioning;
    }

    static ModuleHooks none() {
        return new ModuleHooks(Optional.empty());
    }

    /** The spec to create: with a new identity generation, its environment and the workload socket's bind. */
    ContainerSpec beforeCreate(ContainerSpec spec) {
        if (provisioning.isEmpty()) {
            return spec;
        }
        ModuleEnvironment env = provisioning.get().provision(spec.owner().deviceId(), spec.owner().moduleId(), true);
        Map<String, String> merged = new HashMap<>(spec.env());
        merged.putAll(env.env());
        return spec.withEnv(merged).withBinds(List.of(env.bind()));
    }

    /** Serves the workload socket of a module whose container exists (after a restart of the runtime). */
    void existing(String deviceId, String module) {
        provisioning.ifPresent(p -> p.serve(deviceId, module));
    }

    /** The module left the deployment: its socket closes and its identity goes. */
    void retired(String deviceId, String module) {
        provisioning.ifPresent(p -> p.retire(deviceId, module));
    }
}
