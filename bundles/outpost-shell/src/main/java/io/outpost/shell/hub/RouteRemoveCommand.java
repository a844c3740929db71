package io.outpost.shell.hub;

import io.outpost.common.OutpostException;
import io.outpost.hub.MessageRouter;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:route-remove <name>}: removes a route until the next deployment; its endpoint's queue stays. */
@Service
@Command(scope = "edge", name = "route-remove", description = "Removes a route; queued messages stay in their endpoint queue")
public class RouteRemoveCommand implements Action {

    @Reference
    MessageRouter router;

    @Argument(index = 0, name = "name", required = true, description = "The route's name")
    @Completion(RouteCompleter.class)
    String name;

    @Override
    public Object execute() {
        try {
            router.removeRoute(name);
        } catch (OutpostException e) {
            throw new IllegalArgumentException("name: " + e.getMessage());
        }
        System.out.println("Route " + name + " removed");
        return null;
    }
}
