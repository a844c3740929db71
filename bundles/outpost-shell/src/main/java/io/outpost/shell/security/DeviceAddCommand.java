package io.outpost.shell.security;

import io.outpost.common.OutpostException;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.ModuleProvisioning;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code edge:device-add}: registers a leaf device with the hub. With no option it gets a generated SAS key and
 * the command prints its connection string (with {@code GatewayHostName}) for Azure's device SDKs.
 */
@Service
@Command(scope = "edge", name = "device-add", description = "Registers a leaf device: a generated SAS key (printed "
        + "once, with its connection string), a client certificate thumbprint, or certificates from a trusted CA")
public class DeviceAddCommand implements Action {

    @Argument(index = 0, name = "device", required = true, description = "The leaf device's id: 1 to 128 of "
            + "letters, digits and - . + % _ # * ? ! ( ) , : = @ $ '")
    String deviceId;

    @Option(name = "--x509", description = "Authenticate with a client certificate of this SHA-1 or SHA-256 "
            + "thumbprint (hex) instead of a SAS key")
    String thumbprint;

    @Option(name = "--x509-ca", description = "Authenticate with a client certificate issued by a CA the hub trusts "
            + "(the edge CA), its common name being the device id")
    boolean ca;

    @Reference
    IdentityService identities;

    @Reference
    ModuleProvisioning provisioning;

    @Override
    public Object execute() {
        if (thumbprint != null && ca) {
            System.err.println("Error: --x509 and --x509-ca exclude each other");
            return null;
        }
        Identity identity;
        try {
            if (thumbprint != null) {
                identity = identities.addDeviceWithThumbprint(deviceId, thumbprint);
            } else if (ca) {
                identity = identities.addDeviceWithCa(deviceId);
            } else {
                identity = identities.addDevice(deviceId);
            }
        } catch (IllegalArgumentException | OutpostException e) {
            System.err.println("Error: " + e.getMessage());
            return null;
        }
        System.out.println("Device:     " + identity.deviceId());
        System.out.println("Auth:       " + Identities.auth(identity));
        identity.primaryKey().ifPresent(key -> {
            System.out.println("Key:        " + key);
            System.out.println("Connection: " + provisioning.hubNames().deviceConnectionString(identity.deviceId(), key));
            System.out.println("The key is shown once; it is stored on this device only. Trust bundle: edge:cert-list "
                    + "--trust-bundle");
        });
        return null;
    }
}
