package io.outpost.shell.hub;

import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.QueueStats;
import io.outpost.hub.RouteDefinition;
import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code edge:route-list}: the routes in effect with the queue of the endpoint each leads to. */
@Service
@Command(scope = "edge", name = "route-list", description = "Lists the routes with their priority, TTL and endpoint queue")
public class RouteListCommand implements Action {

    @Reference
    MessageRouter router;

    @Reference
    MessageStore store;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Route").maxSize(80);
        table.column("Priority").alignRight();
        table.column("TTL").alignRight();
        table.column("Origin");
        table.column("Queue").alignRight();
        table.column("Oldest").alignRight();
        Map<String, QueueStats> stats = new HashMap<>();
        for (RouteDefinition r : router.routes()) {
            String endpoint = EndpointOf.route(r);
            QueueStats s = endpoint == null ? null : stats.computeIfAbsent(endpoint, store::stats);
            table.addRow().addContent(r.name(), r.text(), r.priority(), Format.ttl(r), r.origin(),
                    s == null ? "-" : s.length(), s == null ? "-" : Format.age(s.oldestMessageAge()));
        }
        table.print(System.out);
        return null;
    }
}
