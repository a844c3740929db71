package io.outpost.shell.hub;

import io.outpost.hub.ClientConnection;
import io.outpost.hub.ConnectedClients;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code edge:client-list}: the modules and leaf devices connected to the hub's MQTT listener. */
@Service
@Command(scope = "edge", name = "client-list",
        description = "Lists the clients connected to the hub: identity, protocol, address, connected since")
public class ClientListCommand implements Action {

    @Reference
    ConnectedClients clients;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Identity");
        table.column("Protocol");
        table.column("TLS");
        table.column("Address");
        table.column("Connected since");
        table.column("Credential expires");
        table.column("Subscriptions");
        for (ClientConnection c : clients.list()) {
            table.addRow().addContent(c.identity(), c.protocol(), c.tls() ? "yes" : "no", c.remoteAddress(),
                    c.connectedSince(), c.expiresAt().map(Object::toString).orElse("-"),
                    String.join(" ", new java.util.TreeSet<>(c.subscriptions())));
        }
        table.print(System.out);
        return null;
    }
}
