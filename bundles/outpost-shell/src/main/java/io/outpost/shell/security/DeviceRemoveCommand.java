package io.outpost.shell.security;

import io.outpost.security.IdentityService;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:device-remove}: removes a leaf device; its key or certificate is refused from then on. */
@Service
@Command(scope = "edge", name = "device-remove", description = "Removes a leaf device's identity: it can no longer "
        + "connect")
public class DeviceRemoveCommand implements Action {

    @Argument(index = 0, name = "device", required = true, description = "The leaf device's id")
    @Completion(DeviceCompleter.class)
    String deviceId;

    @Reference
    IdentityService identities;

    @Override
    public Object execute() {
        if (deviceId.contains("/")) {
            System.err.println("Error: " + deviceId + " is a module identity; modules leave with their deployment");
            return null;
        }
        if (identities.remove(deviceId, Optional.empty())) {
            System.out.println("Removed device " + deviceId);
        } else {
            System.err.println("Error: no leaf device " + deviceId);
        }
        return null;
    }
}
