package io.outpost.shell.hub;

import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.QueueStats;
import java.util.Set;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code edge:endpoint-list}: every endpoint queue (routed to now, or holding messages) and its counters. */
@Service
@Command(scope = "edge", name = "endpoint-list", description = "Lists the endpoint queues: length, bytes, age and counters")
public class EndpointListCommand implements Action {

    @Reference
    MessageRouter router;

    @Reference
    MessageStore store;

    @Override
    public Object execute() {
        Set<String> endpoints = new TreeSet<>(store.endpoints());
        endpoints.addAll(router.endpoints());
        ShellTable table = new ShellTable();
        table.column("Endpoint");
        table.column("Routed");
        table.column("Length").alignRight();
        table.column("Bytes").alignRight();
        table.column("Oldest").alignRight();
        table.column("Expired").alignRight();
        table.column("Dropped").alignRight();
        table.column("Dead-lettered").alignRight();
        table.column("By priority");
        Set<String> routed = router.endpoints();
        for (String endpoint : endpoints) {
            QueueStats s = store.stats(endpoint);
            table.addRow().addContent(endpoint, routed.contains(endpoint) ? "yes" : "no", s.length(), s.bytes(),
                    Format.age(s.oldestMessageAge()), s.expiredTotal(), s.droppedTotal(), s.deadLetteredTotal(),
                    Format.byPriority(s.lengthByPriority()));
        }
        table.print(System.out);
        System.out.println("Unrouted messages (no_route): " + router.stats().unroutedTotal());
        return null;
    }
}
