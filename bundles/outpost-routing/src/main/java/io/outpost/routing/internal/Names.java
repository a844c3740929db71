package io.outpost.routing.internal;

/**
 * Nodes that read the message: application properties (bare names), system properties ({@code {$name}}),
 * {@code $name} (the application property literally named {@code $name} when present, else the system
 * property), and {@code $body} queries.
 */
final class Names {

    private static final String BODY_PREFIX = "$body.";

    private Names() {
    }

    /** Compiles a {@code $...} token; {@code escaped} is true inside braces. */
    static Node dollar(Token token, boolean escaped) {
        String text = token.text();
        Node system = text.regionMatches(true, 0, BODY_PREFIX, 0, BODY_PREFIX.length())
                ? new BodyQuery(BodyPath.compile(text.substring(BODY_PREFIX.length()), token.start() + BODY_PREFIX.length()))
                : new SystemProperty(text.substring(1));
        return escaped ? system : new PropertyOrElse(text, system);
    }

    static final class AppProperty extends Node {
        private final String name;

        AppProperty(String name) {
            super(Type.STRING);
            this.name = name;
        }

        @Override
        Object eval(EvalContext ctx) {
            String v = ctx.message.property(name);
            return v == null ? Values.UNDEFINED : v;
        }
    }

    static final class SystemProperty extends Node {
        private final String name;

        SystemProperty(String name) {
            super(Type.STRING);
            this.name = name;
        }

        @Override
        Object eval(EvalContext ctx) {
            String v = ctx.message.systemProperty(name);
            return v == null ? Values.UNDEFINED : v;
        }
    }

    /** {@code $name}: an application property with that exact name wins over the system meaning. */
    static final class PropertyOrElse extends Node {
        private final String name;
        private final Node orElse;

        PropertyOrElse(String name, Node orElse) {
            super(orElse.type, orElse);
            this.name = name;
            this.orElse = orElse;
        }

        @Override
        Object eval(EvalContext ctx) {
            String v = ctx.message.property(name);
            return v != null ? v : orElse.eval(ctx);
        }
    }

    static final class BodyQuery extends Node {
        private final BodyPath path;

        BodyQuery(BodyPath path) {
            super(Type.ANY, true);
            this.path = path;
        }

        @Override
        Object eval(EvalContext ctx) {
            Object body = ctx.body();
            return body == Values.UNDEFINED ? body : Values.scalar(path.select(body));
        }
    }
}
