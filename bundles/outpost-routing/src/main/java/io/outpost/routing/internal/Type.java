package io.outpost.routing.internal;

/**
 * Static types of condition expressions. Properties are strings; a {@code $body} query is {@link #ANY}
 * because its type is known only when a message arrives. Operands are checked when a route is compiled,
 * as Azure's edgeHub does: mixing a string and a number is an error, mixing {@link #ANY} with a concrete
 * type is checked again for each message.
 */
enum Type {
    BOOL("bool"),
    NUMBER("number"),
    STRING("string"),
    NULL("null"),
    UNDEFINED("undefined"),
    ANY("$body value");

    private final String label;

    Type(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** Whether two operands may be compared, coalesced or passed where the other type is expected. */
    static boolean compatible(Type a, Type b) {
        return a == b || (a == ANY && b != UNDEFINED) || (b == ANY && a != UNDEFINED);
    }

    /** Whether an operand may appear under AND, OR and NOT. */
    boolean isLogical() {
        return this == BOOL || this == NULL || this == UNDEFINED || this == ANY;
    }
}
