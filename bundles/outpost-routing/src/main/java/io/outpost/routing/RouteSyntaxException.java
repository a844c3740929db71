package io.outpost.routing;

import io.outpost.common.OutpostException;

/**
 * A route or condition that cannot be compiled. The message reads {@code column <n>: <what was expected>};
 * {@link #column()} is 1-based and counts characters from the start of the text that was parsed (the
 * whole route, or the condition alone for {@link RouteParser#parseCondition(String)}).
 */
public class RouteSyntaxException extends OutpostException {

    private static final long serialVersionUID = 1L;

    private final int column;
    private final String detail;

    public RouteSyntaxException(RoutingErrorCode code, int column, String detail) {
        super(code, "column " + column + ": " + detail);
        if (column < 1) {
            throw new IllegalArgumentException("column must be >= 1: " + column);
        }
        this.column = column;
        this.detail = detail;
    }

    /** The 1-based column where the problem starts. */
    public int column() {
        return column;
    }

    /** The message without the column prefix. */
    public String detail() {
        return detail;
    }
}
