package io.outpost.cloud.store.internal.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.DeviceDeploymentState;
import io.outpost.cloud.DeviceDeploymentStatus;
import io.outpost.cloud.Twin;
import io.outpost.cloud.store.internal.json.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a device's {@code $edgeAgent} twin to tell where it stands with its applied configuration. Success:
 * the twin holds the configuration, the reported {@code lastDesiredVersion} is the desired version, the reported
 * code is 200 and every module's {@code runtimeStatus} is its desired status. Failure: the reported
 * {@code lastDesiredVersion} is the desired version and the code is not 200. Anything else is pending.
 */
public final class DeviceReport {

    static final String AGENT = "$edgeAgent";

    private DeviceReport() {
    }

    /** The status of a device that a deployment targets. */
    public static DeviceDeploymentStatus status(String deploymentId, FleetPlanner.Plan plan, Optional<Twin> agent) {
        String device = plan.configuration().deviceId();
        if (!plan.configuration().includes(deploymentId)) {
            return new DeviceDeploymentStatus(device, DeviceDeploymentState.TARGETED,
                    "applied instead: " + plan.configuration().base().orElse("none"));
        }
        ObjectNode content = Json.parseObject(plan.configuration().modulesContent(), "configuration");
        ObjectNode desired = ModulesContent.desired(content, AGENT);
        if (agent.isEmpty() || !Json.parseObject(agent.get().desired(), "desired").equals(desired)) {
            return pending(device, "the configuration is not yet in the device's $edgeAgent twin");
        }
        JsonNode reported = Json.parseObject(agent.get().reported(), "reported");
        long version = agent.get().desiredVersion();
        JsonNode last = reported.path("lastDesiredVersion");
        if (!last.canConvertToLong() || last.asLong() != version) {
            return pending(device, "desired version " + version + ", the device reports "
                    + (last.isMissingNode() ? "none" : last.asText()));
        }
        JsonNode status = reported.path("lastDesiredStatus");
        int code = status.path("code").asInt(0);
        if (code != 200) {
            return new DeviceDeploymentStatus(device, DeviceDeploymentState.FAILED,
                    "code " + code + ": " + status.path("description").asText(""));
        }
        return moduleMismatch(desired, reported).map(m -> pending(device, m)).orElseGet(() ->
                new DeviceDeploymentStatus(device, DeviceDeploymentState.SUCCEEDED, "version " + version + " running"));
    }

    private static Optional<String> moduleMismatch(ObjectNode desired, JsonNode reported) {
        Iterator<Map.Entry<String, JsonNode>> modules = desired.path("modules").fields();
        while (modules.hasNext()) {
            Map.Entry<String, JsonNode> module = modules.next();
            String want = module.getValue().path("status").asText("running");
            String runtime = reported.path("modules").path(module.getKey()).path("runtimeStatus").asText("unknown");
            if (!want.equals(runtime)) {
                return Optional.of("module " + module.getKey() + " is " + runtime + ", desired " + want);
            }
        }
        return Optional.empty();
    }

    private static DeviceDeploymentStatus pending(String device, String detail) {
        return new DeviceDeploymentStatus(device, DeviceDeploymentState.PENDING, detail);
    }
}
