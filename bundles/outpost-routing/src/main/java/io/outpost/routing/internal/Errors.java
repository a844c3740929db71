package io.outpost.routing.internal;

import io.outpost.routing.RouteSyntaxException;
import io.outpost.routing.RoutingErrorCode;

/** Builds the one exception type of the route language from 0-based offsets. */
final class Errors {

    private Errors() {
    }

    static RouteSyntaxException syntax(int offset, String detail) {
        return new RouteSyntaxException(RoutingErrorCode.ROUTE_SYNTAX, offset + 1, detail);
    }

    static RouteSyntaxException tooComplex(int offset, String detail) {
        return new RouteSyntaxException(RoutingErrorCode.ROUTE_TOO_COMPLEX, offset + 1, detail);
    }
}
