package io.outpost.manifest;

import java.util.Objects;

/**
 * One {@code $edgeHub} route, defaults applied.
 *
 * @param name the key under {@code routes}
 * @param route the route text ({@code FROM ... [WHERE ...] INTO ...}), as written
 * @param priority 0 (highest) to 9, or {@value #DEFAULT_PRIORITY} when the manifest gives none (below 9)
 * @param timeToLiveSecs how long a message waits for this route's endpoint; the global TTL when not given
 */
public record RouteSpec(String name, String route, int priority, long timeToLiveSecs) {

    /** The priority of a route that declares none: lower than any declared priority. */
    public static final int DEFAULT_PRIORITY = 10;
    /** The highest {@code timeToLiveSecs}: 2^32 - 1. */
    public static final long MAX_TIME_TO_LIVE_SECS = 4_294_967_295L;

    public RouteSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(route, "route");
        if (priority < 0 || priority > DEFAULT_PRIORITY) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (timeToLiveSecs < 0 || timeToLiveSecs > MAX_TIME_TO_LIVE_SECS) {
            throw new IllegalArgumentException("timeToLiveSecs out of range: " + timeToLiveSecs);
        }
    }
}
