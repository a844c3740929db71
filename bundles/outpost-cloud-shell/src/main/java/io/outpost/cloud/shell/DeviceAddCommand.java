package io.outpost.cloud.shell;

import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.web.CloudJson;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code cloud:device-add <id>}: registers a device with generated SAS keys (or X.509 thumbprints) and prints it
 * with its keys, then applies the fleet so that matching deployments reach it.
 */
@Service
@Command(scope = "cloud", name = "device-add", description = "Registers a device (SAS keys generated, or X.509 thumbprints)")
public class DeviceAddCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device id", required = true)
    String deviceId;

    @Option(name = "--tags", description = "Tags as a JSON object, e.g. {\"site\":\"A\"}")
    String tags = "{}";

    @Option(name = "--x509", description = "Authenticate with X.509: the certificate's SHA-1 or SHA-256 thumbprint (hex)")
    String x509;

    @Option(name = "--x509-secondary", description = "A second X.509 thumbprint")
    String x509Secondary;

    @Option(name = "--parent", description = "The edge device whose scope this device is in (a leaf device behind "
            + "it): the edge's keys may then also connect for it")
    String parent;

    @Option(name = "--disabled", description = "Register it disabled")
    boolean disabled;

    @Reference
    DeviceRegistry registry;

    @Reference
    FleetDeploymentService deployments;

    @Override
    public Object execute() {
        DeviceAuth auth = x509 == null ? CloudJson.generateKeys() : CloudJson.thumbprints(x509, x509Secondary);
        Device d = registry.create(deviceId, auth, CloudJson.tags(tags), java.util.Optional.ofNullable(parent));
        if (disabled) {
            d = registry.setEnabled(d.id(), false);
        }
        deployments.applyAll();
        System.out.println(CloudJson.device(d, true));
        return null;
    }
}
