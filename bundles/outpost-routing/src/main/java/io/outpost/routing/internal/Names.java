package io.outpost.routing.internal;

import io.outpost.common.lex.Token;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Nodes that read the message: application properties (bare names), system properties ({@code {$name}}),
 * {@code $name} (the application property literally named {@code $name} when present, else the system
 * property), and {@code $body} queries.
 *
 * <p>Property names are case-insensitive, as in Azure IoT Edge; values are not. A lookup tries the exact
 * name first, which costs nothing more than before; only when it misses in a non-empty map are the names
 * compared ignoring case. System property names are written in their canonical spelling at compile time, so
 * {@code {$CONTENTTYPE}} finds {@code contentType} on the exact lookup.
 */
final class Names {

    private static final String BODY_PREFIX = "$body.";

    /** IoT Hub's system property names, by their lower-case form. */
    private static final Map<String, String> SYSTEM = List.of("messageId", "enqueuedTime", "to", "correlationId",
            "userId", "ack", "connectionDeviceId", "connectionModuleId", "connectionDeviceGenerationId",
            "connectionAuthMethod", "contentType", "contentEncoding", "messageSchema", "creationTime", "inputName",
            "outputName", "componentName").stream()
            .collect(Collectors.toUnmodifiableMap(n -> n.toLowerCase(Locale.ROOT), n -> n));

    private Names() {
    }

    /**
     * The value of {@code name} in {@code properties}: the exact name, else the name equal to it ignoring
     * case; when several differ from it only in case, the first of them in ordinal order, so that the
     * result does not depend on the map's iteration order.
     */
    static String lookup(Map<String, String> properties, String name) {
        String exact = properties.get(name);
        if (exact != null || properties.isEmpty()) {
            return exact;
        }
        String foundName = null;
        String found = null;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            if (key.equalsIgnoreCase(name) && (foundName == null || key.compareTo(foundName) < 0)) {
                foundName = key;
                found = e.getValue();
            }
        }
        return found;
    }

    /** The canonical spelling of a system property name, or the name as written when it is not one. */
    static String systemName(String name) {
        return SYSTEM.getOrDefault(name.toLowerCase(Locale.ROOT), name);
    }

    /** Compiles a {@code $...} token; {@code escaped} is true inside braces. */
    static Node dollar(Token token, boolean escaped) {
        String text = token.text();
        Node system = text.regionMatches(true, 0, BODY_PREFIX, 0, BODY_PREFIX.length())
                ? new BodyQuery(BodyPath.compile(text.substring(BODY_PREFIX.length()), token.start() + BODY_PREFIX.length()))
                : new SystemProperty(systemName(text.substring(1)));
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
            String v = lookup(ctx.message.properties(), name);
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
            String v = lookup(ctx.message.systemProperties(), name);
            return v == null ? Values.UNDEFINED : v;
        }
    }

    /** {@code $name}: an application property of that name (ignoring case) wins over the system meaning. */
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
            String v = lookup(ctx.message.properties(), name);
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
