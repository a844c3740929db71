package io.outpost.manifest.internal;

import io.outpost.routing.ParsedRoute;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSink;
import io.outpost.routing.RouteSyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * A route's text, compiled with the route language itself ({@link RouteParser}), so that a manifest whose
 * route the hub could not run is refused when it is validated; and the module names the route mentions,
 * compared with the manifest's.
 */
final class RouteChecks {

    private RouteChecks() {
    }

    /** The compiled route, or empty after an error at {@code pointer} that gives the column. */
    static Optional<ParsedRoute> compile(String route, String pointer, Problems problems) {
        if (route.isBlank()) {
            problems.error(pointer, "the route is empty; expected FROM <source> [WHERE <condition>] INTO <sink>");
            return Optional.empty();
        }
        try {
            return Optional.of(RouteParser.parse(route));
        } catch (RouteSyntaxException e) {
            problems.error(pointer, "the route does not parse at column " + e.column() + ": " + e.detail());
            return Optional.empty();
        }
    }

    /** A warning for each module the route reads from or sends to that the manifest does not declare. */
    static void warnUndeclared(ParsedRoute route, String pointer, Set<String> declared, Problems problems) {
        String source = route.source().module();
        if (source != null && !known(source, declared)) {
            problems.warning(pointer, "the route reads from module " + Json.quote(source)
                    + ", which the manifest does not declare under modules");
        }
        RouteSink sink = route.sink();
        if (sink.kind() == RouteSink.Kind.MODULE_INPUT && !known(sink.module(), declared)) {
            problems.warning(pointer, "the route sends to BrokeredEndpoint of module " + Json.quote(sink.module())
                    + ", which the manifest does not declare under modules");
        }
    }

    private static boolean known(String module, Set<String> declared) {
        return declared.contains(module) || ModuleNames.SYSTEM.contains(module) || module.startsWith("$");
    }
}
