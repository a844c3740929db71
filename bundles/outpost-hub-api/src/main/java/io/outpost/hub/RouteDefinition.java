package io.outpost.hub;

import java.util.Objects;

/**
 * A route the router runs: a named route-language text with the priority and TTL of the messages it
 * enqueues.
 *
 * @param name     the route's name (the key under {@code $edgeHub.properties.desired.routes})
 * @param text     {@code FROM <source> [WHERE <condition>] INTO <sink>}
 * @param priority 0 (highest) to 9 (lowest)
 * @param ttlSecs  seconds a message waits for its endpoint; {@link #GLOBAL_TTL} means the global TTL
 * @param origin   where the route came from: {@link #FROM_DEPLOYMENT} or {@link #FROM_SHELL}
 */
public record RouteDefinition(String name, String text, int priority, long ttlSecs, String origin) {

    /** {@code ttlSecs} of a route that declares no TTL of its own. */
    public static final long GLOBAL_TTL = 0;
    /** The origin of routes taken from the deployment manifest's {@code $edgeHub} section. */
    public static final String FROM_DEPLOYMENT = "deployment";
    /** The origin of routes added with {@code edge:route-add}. */
    public static final String FROM_SHELL = "shell";

    public RouteDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("route name must not be empty");
        }
        Objects.requireNonNull(text, "text");
        Priorities.check(priority);
        if (ttlSecs < 0) {
            throw new IllegalArgumentException("ttlSecs must not be negative: " + ttlSecs);
        }
        Objects.requireNonNull(origin, "origin");
    }
}
