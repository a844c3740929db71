package io.outpost.routing;

import io.outpost.common.ErrorCode;

/** Error codes of the routing area. */
public enum RoutingErrorCode implements ErrorCode {
    /** A route or condition does not follow the grammar, or uses a name, function or type wrongly. */
    ROUTE_SYNTAX("route-syntax"),
    /** A route is longer or nested deeper than the limits that protect the parser. */
    ROUTE_TOO_COMPLEX("route-too-complex");

    private final String code;

    RoutingErrorCode(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
