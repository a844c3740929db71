package io.outpost.cloud.shell;

import io.outpost.cloud.CloudMessaging;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code cloud:c2d-purge <device>}: marks the device's queued cloud-to-device messages purged. */
@Service
@Command(scope = "cloud", name = "c2d-purge", description = "Purges a device's queued cloud-to-device messages: "
        + "they are never delivered")
public class C2dPurgeCommand implements Action {

    @Argument(index = 0, name = "device", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String device;

    @Reference(optional = true)
    CloudMessaging messaging;

    @Override
    public Object execute() {
        CloudMessaging endpoint = Endpoint.running(messaging);
        int purged = endpoint.purgeDeviceMessages(device);
        System.out.println("purged " + purged + " queued message" + (purged == 1 ? "" : "s") + " of " + device);
        return null;
    }
}
