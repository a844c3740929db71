package io.outpost.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a module container needs to authenticate to the hub with Azure's module SDKs and no configuration: its
 * identity, its own workload API socket and the {@code IOTEDGE_*} environment the SDKs read.
 */
@ProviderType
public interface ModuleProvisioning {

    /**
     * Provisions a module about to be created. With {@code newGeneration}, the module gets a new key and
     * generation (its container is being recreated); otherwise its existing identity is kept.
     */
    ModuleEnvironment provision(String deviceId, String moduleId, boolean newGeneration);

    /**
     * Serves the workload socket of a module that already has its identity and container (after a restart of
     * the runtime); does nothing when the socket is served already.
     */
    void serve(String deviceId, String moduleId);

    /** The host names modules and leaf devices are told. */
    HubNames hubNames();

    /** Closes the module's workload socket and removes its identity (the module left the deployment). */
    void retire(String deviceId, String moduleId);
}
