package io.outpost.shell.security;

import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code edge:device-list}: the leaf devices registered with the hub (and, with --modules, module identities). */
@Service
@Command(scope = "edge", name = "device-list", description = "Lists the leaf devices registered with the hub")
public class DeviceListCommand implements Action {

    @Option(name = "--modules", description = "Also list the module identities of this device")
    boolean modules;

    @Reference
    IdentityService identities;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Identity");
        table.column("Kind");
        table.column("Auth");
        table.column("Generation");
        table.column("Created");
        for (Identity id : identities.list()) {
            if (id.moduleId().isPresent() && !modules) {
                continue;
            }
            table.addRow().addContent(id.name(), id.moduleId().isPresent() ? "module" : "device", Identities.auth(id),
                    id.generationId(), id.createdAt().toString());
        }
        table.print(System.out);
        return null;
    }
}
