package io.outpost.routing.internal;

/**
 * A compiled expression: an immutable tree evaluated once per message, with no lock and no parsing.
 * {@link #type} is the static type checked at compile time; {@link #height} bounds evaluation depth;
 * {@link #readsBody} tells whether evaluation may need the message body.
 */
abstract class Node {

    final Type type;
    final int height;
    final boolean readsBody;

    Node(Type type, Node... children) {
        this(type, false, children);
    }

    Node(Type type, boolean ownBodyRead, Node... children) {
        this.type = type;
        int h = 0;
        boolean body = ownBodyRead;
        for (Node c : children) {
            h = Math.max(h, c.height);
            body |= c.readsBody;
        }
        this.height = h + 1;
        this.readsBody = body;
    }

    abstract Object eval(EvalContext ctx);

    /** A value known when compiling. */
    static final class Literal extends Node {
        final Object value;

        Literal(Type type, Object value) {
            super(type);
            this.value = value;
        }

        @Override
        Object eval(EvalContext ctx) {
            return value;
        }
    }
}
