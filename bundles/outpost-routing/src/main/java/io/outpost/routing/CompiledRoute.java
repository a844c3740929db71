package io.outpost.routing;

import java.util.Objects;

/**
 * A {@link Route} compiled once, ready to be evaluated for every message without locks. Immutable.
 *
 * @param route  the declared route
 * @param parsed its parsed source, sink and compiled condition
 */
public record CompiledRoute(Route route, ParsedRoute parsed) {

    public CompiledRoute {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(parsed, "parsed");
    }

    /**
     * Parses and compiles a route.
     *
     * @throws RouteSyntaxException when the text is not a valid route
     */
    public static CompiledRoute compile(Route route) {
        return new CompiledRoute(route, RouteParser.parse(route.text()));
    }

    /** Whether the message takes this route: its source matches and its condition is true. */
    public boolean matches(RouteMessage message) {
        return parsed.matches(message);
    }

    /** {@link TriState#FALSE} when the source does not select the message, else the condition's value. */
    public TriState evaluate(RouteMessage message) {
        return parsed.evaluate(message);
    }

    public RouteSink sink() {
        return parsed.sink();
    }
}
