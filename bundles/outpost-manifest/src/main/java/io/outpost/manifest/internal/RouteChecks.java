package io.outpost.manifest.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap checks of a route's text. The route language itself is compiled by the routing bundle; here only
 * the overall shape is checked, and the module names a route mentions are compared with the manifest's.
 */
final class RouteChecks {

    private static final Pattern START = Pattern.compile("\\s*FROM\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTO = Pattern.compile("\\sINTO\\s+\\S", Pattern.CASE_INSENSITIVE);
    private static final Pattern SOURCE = Pattern.compile("\\s*FROM\\s+/messages/modules/([^/\\s*]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SINK = Pattern.compile(
            "BrokeredEndpoint\\s*\\(\\s*\"/modules/([^/\"\\s]+)/inputs/[^\"]*\"\\s*\\)", Pattern.CASE_INSENSITIVE);

    private RouteChecks() {
    }

    /** Why the text cannot be a route, or {@code null} when its shape is right. */
    static String shapeError(String route) {
        if (route.isBlank()) {
            return "the route is empty; expected FROM <source> [WHERE <condition>] INTO <sink>";
        }
        if (!START.matcher(route).lookingAt() || !INTO.matcher(route).find()) {
            return Json.quote(route) + " is not a route; expected FROM <source> [WHERE <condition>] INTO <sink>";
        }
        return null;
    }

    /** A warning for each module the route reads from or sends to that the manifest does not declare. */
    static void warnUndeclared(String route, String pointer, Set<String> declared, Problems problems) {
        Matcher source = SOURCE.matcher(route);
        if (source.lookingAt() && !known(source.group(1), declared)) {
            problems.warning(pointer, "the route reads from module " + Json.quote(source.group(1))
                    + ", which the manifest does not declare under modules");
        }
        Set<String> sinks = new LinkedHashSet<>();
        Matcher sink = SINK.matcher(route);
        while (sink.find()) {
            sinks.add(sink.group(1));
        }
        for (String module : sinks) {
            if (!known(module, declared)) {
                problems.warning(pointer, "the route sends to BrokeredEndpoint of module " + Json.quote(module)
                        + ", which the manifest does not declare under modules");
            }
        }
    }

    private static boolean known(String module, Set<String> declared) {
        return declared.contains(module) || ModuleNames.SYSTEM.contains(module) || module.startsWith("$");
    }
}
