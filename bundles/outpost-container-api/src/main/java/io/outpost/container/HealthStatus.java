package io.outpost.container;

import java.util.Locale;

/** The result of a container's HEALTHCHECK; {@link #NONE} when the container has no healthcheck. */
public enum HealthStatus {
    NONE,
    STARTING,
    HEALTHY,
    UNHEALTHY;

    /** Maps the engine's word ({@code healthy}, {@code unhealthy}, {@code starting}); absent or unknown gives {@link #NONE}. */
    public static HealthStatus fromEngine(String status) {
        if (status == null || status.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return NONE;
        }
    }
}
