package io.outpost.routing;

/**
 * A compiled {@code WHERE} condition. Evaluating takes no lock, never re-parses the text, and parses a
 * JSON body at most once per call and only when the condition queries {@code $body}. Thread-safe.
 */
public interface Condition {

    /** The condition as written, or {@code "true"} for a route without {@code WHERE}. */
    String text();

    /** Evaluates the condition against one message. */
    TriState evaluate(RouteMessage message);

    /** Whether the condition reads the message body ({@code $body...} or {@code twin_change_includes}). */
    boolean readsBody();
}
