package io.outpost.routing;

import java.util.Objects;

/**
 * The {@code INTO} part of a route: the cloud ({@code $upstream}) or a module's input
 * ({@code BrokeredEndpoint("/modules/<m>/inputs/<i>")}).
 *
 * @param kind   which sink
 * @param module the target module for {@link Kind#MODULE_INPUT}, else {@code null}
 * @param input  the target input for {@link Kind#MODULE_INPUT}, else {@code null}
 */
public record RouteSink(Kind kind, String module, String input) {

    /** The sink forms; {@link #id()} is the stable name the CLI prints. */
    public enum Kind {
        UPSTREAM("upstream"),
        MODULE_INPUT("module-input");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private static final RouteSink UPSTREAM = new RouteSink(Kind.UPSTREAM, null, null);

    public RouteSink {
        Objects.requireNonNull(kind, "kind");
        boolean named = kind == Kind.MODULE_INPUT;
        if (named != (module != null) || named != (input != null)
                || (named && (module.isEmpty() || input.isEmpty()))) {
            throw new IllegalArgumentException("a module-input sink names a module and an input; upstream names neither");
        }
    }

    public static RouteSink upstream() {
        return UPSTREAM;
    }

    public static RouteSink moduleInput(String module, String input) {
        return new RouteSink(Kind.MODULE_INPUT, module, input);
    }

    /** A stable endpoint id: {@code $upstream} or {@code /modules/<m>/inputs/<i>}. */
    public String endpointId() {
        return kind == Kind.UPSTREAM ? "$upstream" : "/modules/" + module + "/inputs/" + input;
    }
}
