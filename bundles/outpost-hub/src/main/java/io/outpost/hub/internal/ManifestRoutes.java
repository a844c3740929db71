package io.outpost.hub.internal;

import io.outpost.deployment.DesiredState;
import io.outpost.hub.Priorities;
import io.outpost.hub.RouteDefinition;
import io.outpost.manifest.HubSettings;
import io.outpost.manifest.ManifestParser;
import io.outpost.manifest.RouteSpec;
import io.outpost.manifest.ValidationResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The routes and global TTL of a deployment's {@code $edgeHub} section. A route without a priority (the
 * manifest's {@value RouteSpec#DEFAULT_PRIORITY}) gets the lowest, 9; a TTL of 0 means the global TTL, and a
 * global TTL of 0 the store's default.
 */
record ManifestRoutes(List<RouteDefinition> routes, Optional<Duration> globalTtl) {

    /** Reads the routes of a manifest the agent accepted; empty if it does not parse (it did when accepted). */
    static Optional<ManifestRoutes> of(DesiredState state) {
        ValidationResult result = new ManifestParser().parse(state.manifest());
        if (!result.valid()) {
            return Optional.empty();
        }
        HubSettings hub = result.orElseThrow().hub();
        List<RouteDefinition> routes = hub.routes().values().stream().map(ManifestRoutes::definition).toList();
        Optional<Duration> global = hub.timeToLiveSecs() > 0 ? Optional.of(Duration.ofSeconds(hub.timeToLiveSecs()))
                : Optional.empty();
        return Optional.of(new ManifestRoutes(routes, global));
    }

    private static RouteDefinition definition(RouteSpec spec) {
        int priority = Math.min(spec.priority(), Priorities.LOWEST);
        return new RouteDefinition(spec.name(), spec.route(), priority, spec.timeToLiveSecs(),
                RouteDefinition.FROM_DEPLOYMENT);
    }
}
