package io.outpost.hub;

/**
 * The router's counters since it started.
 *
 * @param routedTotal   messages that matched at least one route and were stored
 * @param unroutedTotal messages that matched no route (Azure's reason {@code no_route}); they are not stored
 */
public record RouterStats(long routedTotal, long unroutedTotal) {
}
