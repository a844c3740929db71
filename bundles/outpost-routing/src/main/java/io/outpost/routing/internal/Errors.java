package io.outpost.routing.internal;

import io.outpost.common.lex.LexErrors;
import io.outpost.routing.RouteSyntaxException;
import io.outpost.routing.RoutingErrorCode;

/** Builds the one exception type of the route language from 0-based offsets. */
final class Errors {

    /** How error messages name the end of a condition. */
    static final String END = "end of text";

    /**
     * Turns the shared lexer's errors into route syntax errors; a malformed number is named by its first column
     * and as written ({@code invalid number '5a': ...}).
     */
    static final LexErrors LEX = new LexErrors() {
        @Override
        public RuntimeException at(int offset, String detail) {
            return syntax(offset, detail);
        }

        @Override
        public RuntimeException badNumber(int start, int offset, String literal, String detail) {
            return syntax(start, "invalid number '" + literal + "': " + detail);
        }
    };

    private Errors() {
    }

    static RouteSyntaxException syntax(int offset, String detail) {
        return new RouteSyntaxException(RoutingErrorCode.ROUTE_SYNTAX, offset + 1, detail);
    }

    static RouteSyntaxException tooComplex(int offset, String detail) {
        return new RouteSyntaxException(RoutingErrorCode.ROUTE_TOO_COMPLEX, offset + 1, detail);
    }
}
