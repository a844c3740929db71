package io.outpost.shell.hub;

import io.outpost.common.OutpostException;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.RouteDefinition;
import io.outpost.routing.Route;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:route-add <name> '<route>' [--priority p] [--ttl s]}: adds or replaces a route until the next deployment. */
@Service
@Command(scope = "edge", name = "route-add", description = "Adds a route, or replaces the route of that name, "
        + "until the next deployment replaces the routes")
public class RouteAddCommand implements Action {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    @Reference
    MessageRouter router;

    @Argument(index = 0, name = "name", required = true, description = "Route name: letters, digits, _ . -, up to 63")
    @Completion(RouteCompleter.class)
    String name;

    @Argument(index = 1, name = "route", required = true, description = "FROM <source> [WHERE <condition>] INTO <sink>")
    String route;

    @Option(name = "--priority", description = "0 (highest) to 9 (lowest, the default)")
    int priority = Route.DEFAULT_PRIORITY;

    @Option(name = "--ttl", description = "Seconds a message waits for its endpoint; 0 (default): the global TTL")
    long ttl = RouteDefinition.GLOBAL_TTL;

    @Argument(index = 2, name = "options", multiValued = true, description = "--priority p and --ttl s may also follow")
    List<String> trailing;

    @Override
    public Object execute() {
        TrailingOptions more = new TrailingOptions(trailing, Set.of("--priority", "--ttl"));
        long priority = more.number("--priority", this.priority);
        long ttl = more.number("--ttl", this.ttl);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: must match " + NAME.pattern() + ": " + name);
        }
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("--priority: must be 0..9 (0 highest): " + priority);
        }
        if (ttl < 0 || ttl > Route.MAX_TTL_SECS) {
            throw new IllegalArgumentException("--ttl: must be 0.." + Route.MAX_TTL_SECS + " seconds: " + ttl);
        }
        try {
            router.putRoute(new RouteDefinition(name, route, (int) priority, ttl, RouteDefinition.FROM_SHELL));
        } catch (OutpostException e) {
            throw new IllegalArgumentException("route: " + e.getMessage().replaceFirst("^route \\S+: ", ""));
        }
        System.out.println("Route " + name + " set (priority " + priority + ", TTL "
                + (ttl == 0 ? "global" : ttl + " s") + ")");
        return null;
    }
}
