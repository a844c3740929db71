package io.outpost.cloud.shell;

import io.outpost.cloud.AppliedConfiguration;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.ModuleIdentity;
import io.outpost.cloud.web.CloudJson;
import io.outpost.common.OutpostException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code cloud:device-show <id>}: a device, its module identities and the deployments applied to it. */
@Service
@Command(scope = "cloud", name = "device-show", description = "Shows a device, its modules and its deployments")
public class DeviceShowCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String deviceId;

    @Option(name = "--keys", description = "Also print its SAS keys")
    boolean keys;

    @Reference
    DeviceRegistry registry;

    @Reference
    FleetDeploymentService deployments;

    @Override
    public Object execute() {
        Device d = registry.get(deviceId).orElseThrow(() ->
                new OutpostException(CloudErrorCode.NOT_FOUND, "no device '" + deviceId + "'"));
        System.out.println(CloudJson.device(d, keys));
        System.out.println("modules:");
        for (ModuleIdentity m : registry.modules(d.id())) {
            System.out.println("  " + m.moduleId() + " (" + m.auth().type() + ")");
        }
        AppliedConfiguration c = deployments.configurationFor(d.id());
        System.out.println("deployment: " + c.base().orElse("none")
                + (c.layers().isEmpty() ? "" : ", layers: " + String.join(", ", c.layers())));
        return null;
    }
}
