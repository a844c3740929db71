package io.outpost.routing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named route as a deployment declares it ({@code $edgeHub.properties.desired.routes}).
 *
 * @param name     the route's name: letters, digits, {@code -}, {@code _} and {@code .}, 1 to 63
 *                 characters, starting with a letter or digit (Azure manifests use names such as
 *                 {@code sensorToFilter})
 * @param text     the route in the route language
 * @param priority 0 (highest) to 9 (lowest)
 * @param ttlSecs  time to live of the messages it enqueues, 0 to 4294967295 seconds; {@link #GLOBAL_TTL}
 *                 means the hub's global time to live
 */
public record Route(String name, String text, int priority, long ttlSecs) {

    /** The priority of a route that declares none: the lowest. */
    public static final int DEFAULT_PRIORITY = 9;
    /** The {@code ttlSecs} of a route that declares none: the hub's global time to live applies. */
    public static final long GLOBAL_TTL = 0;
    /** The largest time to live a manifest may declare. */
    public static final long MAX_TTL_SECS = 4_294_967_295L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public Route {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("route name must match " + NAME.pattern() + ": " + name);
        }
        Objects.requireNonNull(text, "text");
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("route priority must be 0..9: " + priority);
        }
        if (ttlSecs < 0 || ttlSecs > MAX_TTL_SECS) {
            throw new IllegalArgumentException("route timeToLiveSecs must be 0.." + MAX_TTL_SECS + ": " + ttlSecs);
        }
    }

    /** A route with the default priority and the global time to live. */
    public static Route of(String name, String text) {
        return new Route(name, text, DEFAULT_PRIORITY, GLOBAL_TTL);
    }
}
