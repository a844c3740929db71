package io.outpost.shell.hub;

import io.outpost.hub.Endpoints;
import io.outpost.hub.RouteDefinition;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSink;
import io.outpost.routing.RouteSyntaxException;

/** The endpoint id a route leads to, as the hub names its queues. */
final class EndpointOf {

    private EndpointOf() {
    }

    static String sink(RouteSink sink) {
        return sink.kind() == RouteSink.Kind.UPSTREAM ? Endpoints.UPSTREAM
                : Endpoints.moduleInput(sink.module(), sink.input());
    }

    /** The endpoint of a route in effect (they all compiled), or {@code null} should one not parse. */
    static String route(RouteDefinition route) {
        try {
            return sink(RouteParser.parse(route.text()).sink());
        } catch (RouteSyntaxException e) {
            return null;
        }
    }
}
