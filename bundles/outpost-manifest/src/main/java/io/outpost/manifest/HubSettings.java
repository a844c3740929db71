package io.outpost.manifest;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * {@code $edgeHub}'s desired properties, defaults applied.
 *
 * @param schemaVersion {@code 1.0}, {@code 1.1} or {@code 1.2}
 * @param routes routes by name, sorted
 * @param timeToLiveSecs the global message TTL ({@code storeAndForwardConfiguration.timeToLiveSecs},
 *     default {@value #DEFAULT_TIME_TO_LIVE_SECS})
 * @param maxSizeBytes {@code storeAndForwardConfiguration.storeLimits.maxSizeBytes} when given
 * @param integrity the signed-manifest block of {@code $edgeHub}, when present
 */
public record HubSettings(String schemaVersion, SortedMap<String, RouteSpec> routes, long timeToLiveSecs,
        OptionalLong maxSizeBytes, Optional<Integrity> integrity) {

    /** The global TTL when the manifest gives none: two hours. */
    public static final long DEFAULT_TIME_TO_LIVE_SECS = 7200;

    public HubSettings {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        routes = Maps.sortedCopy(routes, "routes");
        if (timeToLiveSecs < 0 || timeToLiveSecs > RouteSpec.MAX_TIME_TO_LIVE_SECS) {
            throw new IllegalArgumentException("timeToLiveSecs out of range: " + timeToLiveSecs);
        }
        Objects.requireNonNull(maxSizeBytes, "maxSizeBytes");
        Objects.requireNonNull(integrity, "integrity");
    }
}
