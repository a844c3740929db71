package io.outpost.routing;

import java.util.Objects;

/**
 * A route whose text was parsed and whose condition was compiled.
 *
 * @param source    the {@code FROM} clause
 * @param condition the {@code WHERE} condition as written (trimmed), or {@code null} when there is none
 * @param sink      the {@code INTO} clause
 * @param compiled  the compiled condition; always true when {@code condition} is {@code null}
 */
public record ParsedRoute(RouteSource source, String condition, RouteSink sink, Condition compiled) {

    public ParsedRoute {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(compiled, "compiled");
        if (condition != null && condition.isBlank()) {
            throw new IllegalArgumentException("condition must be null or not blank");
        }
    }

    /** Whether the source selects the message and the condition is {@link TriState#TRUE}. */
    public boolean matches(RouteMessage message) {
        return evaluate(message) == TriState.TRUE;
    }

    /** {@link TriState#FALSE} when the source does not select the message, else the condition's value. */
    public TriState evaluate(RouteMessage message) {
        return source.matches(message.source()) ? compiled.evaluate(message) : TriState.FALSE;
    }
}
