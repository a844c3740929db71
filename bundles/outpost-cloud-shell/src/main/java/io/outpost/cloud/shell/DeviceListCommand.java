package io.outpost.cloud.shell;

import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceRegistry;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code cloud:device-list}: every device, its state, connection, last activity and tags. */
@Service
@Command(scope = "cloud", name = "device-list", description = "Lists the devices of the registry")
public class DeviceListCommand implements Action {

    @Reference
    DeviceRegistry registry;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Status");
        table.column("Connection");
        table.column("Last activity");
        table.column("Auth");
        table.column("Tags").maxSize(60);
        for (Device d : registry.list()) {
            table.addRow().addContent(d.id(), d.enabled() ? "enabled" : "disabled",
                    d.connectionState() == ConnectionState.CONNECTED ? "connected" : "disconnected",
                    d.lastActivity().map(Object::toString).orElse("never"), d.auth().type(), d.tags());
        }
        table.print(System.out);
        return null;
    }
}
