package io.outpost.security.internal.workload;

import io.outpost.common.CommonErrorCode;
import io.outpost.common.OutpostException;
import io.outpost.security.HubNames;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.ModuleEnvironment;
import io.outpost.security.ModuleProvisioning;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Provisions module containers the way Azure IoT Edge's security daemon does: an identity with its key, a
 * workload API socket, and {@code IOTEDGE_*} variables with the {@code sasToken} auth scheme, so that
 * {@code ModuleClient.createFromEnvironment} works unchanged.
 */
public final class Provisioner implements ModuleProvisioning {

    /** The workload API version Outpost answers to (Azure IoT Edge 1.1 and later send this one). */
    public static final String API_VERSION = "2019-01-30";

    private final IdentityService identities;
    private final WorkloadServer workload;
    private final String iotHubHostName;
    private final String gatewayHostName;

    public Provisioner(IdentityService identities, WorkloadServer workload, String iotHubHostName,
            String gatewayHostName) {
        this.identities = identities;
        this.workload = workload;
        this.iotHubHostName = iotHubHostName;
        this.gatewayHostName = gatewayHostName;
    }

    @Override
    public HubNames hubNames() {
        return new HubNames(iotHubHostName, gatewayHostName);
    }

    @Override
    public ModuleEnvironment provision(String deviceId, String moduleId, boolean newGeneration) {
        Identity identity = newGeneration ? identities.rotateModuleIdentity(deviceId, moduleId)
                : identities.moduleIdentity(deviceId, moduleId);
        Path socket;
        try {
            socket = workload.open(deviceId, moduleId);
        } catch (IOException e) {
            throw new OutpostException(CommonErrorCode.UNAVAILABLE, "cannot open the workload socket of module '"
                    + moduleId + "': " + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IOTEDGE_IOTHUBHOSTNAME", iotHubHostName);
        env.put("IOTEDGE_GATEWAYHOSTNAME", gatewayHostName);
        env.put("IOTEDGE_DEVICEID", deviceId);
        env.put("IOTEDGE_MODULEID", moduleId);
        env.put("IOTEDGE_MODULEGENERATIONID", identity.generationId());
        env.put("IOTEDGE_WORKLOADURI", "unix://" + ModuleEnvironment.CONTAINER_SOCKET);
        env.put("IOTEDGE_APIVERSION", API_VERSION);
        env.put("IOTEDGE_AUTHSCHEME", "sasToken");
        return new ModuleEnvironment(env, socket.toAbsolutePath().toString(), ModuleEnvironment.CONTAINER_SOCKET);
    }

    @Override
    public void serve(String deviceId, String moduleId) {
        try {
            workload.ensureOpen(deviceId, moduleId);
        } catch (IOException e) {
            throw new OutpostException(CommonErrorCode.UNAVAILABLE, "cannot open the workload socket of module '"
                    + moduleId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void retire(String deviceId, String moduleId) {
        workload.close(moduleId);
        identities.remove(deviceId, Optional.of(moduleId));
    }
}
