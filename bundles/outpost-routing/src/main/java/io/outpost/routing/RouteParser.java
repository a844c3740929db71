package io.outpost.routing;

import io.outpost.routing.internal.RouteGrammar;

/**
 * Entry point of the route language. Both methods refuse text longer than {@link #MAX_LENGTH} characters
 * and expressions nested deeper than {@link #MAX_NESTING} levels with a {@link RouteSyntaxException}.
 */
public final class RouteParser {

    /** The longest route or condition accepted, in characters (64 KiB). */
    public static final int MAX_LENGTH = 65_536;
    /** The deepest nesting of parentheses, unary operators and function calls accepted. */
    public static final int MAX_NESTING = 128;

    private RouteParser() {
    }

    /**
     * Parses {@code [SELECT *] FROM <source> [WHERE <condition>] INTO <sink>} and compiles the condition.
     *
     * @throws RouteSyntaxException with the column and what was expected
     */
    public static ParsedRoute parse(String route) {
        return RouteGrammar.parseRoute(route);
    }

    /**
     * Compiles a condition on its own, as it would appear after {@code WHERE}. With no source to check
     * against, {@code twin_change_includes} is allowed.
     *
     * @throws RouteSyntaxException with the column (relative to the condition) and what was expected
     */
    public static Condition parseCondition(String condition) {
        return RouteGrammar.parseCondition(condition);
    }
}
