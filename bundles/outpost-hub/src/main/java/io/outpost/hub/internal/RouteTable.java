package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.RouteDefinition;
import io.outpost.routing.ParsedRoute;
import io.outpost.routing.RouteMessage;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSink;
import io.outpost.routing.RouteSyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable table of compiled routes and the global TTL. Changing it gives a new table; the router swaps
 * tables atomically, so evaluating a message takes no lock and never sees a half-made table.
 */
public final class RouteTable {

    /** A compiled route and the endpoint it leads to. */
    record Entry(RouteDefinition definition, ParsedRoute parsed, String endpoint) {
    }

    /**
     * Where a message goes for one endpoint.
     *
     * @param ttl {@code null} when neither the route nor the deployment gives a TTL: the store's default applies
     */
    record Target(int priority, Duration ttl) {
    }

    private static final RouteTable EMPTY = new RouteTable(Map.of(), Optional.empty());

    private final Map<String, Entry> byName;
    private final Entry[] entries;
    private final Optional<Duration> globalTtl;

    private RouteTable(Map<String, Entry> byName, Optional<Duration> globalTtl) {
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        this.entries = this.byName.values().toArray(new Entry[0]);
        this.globalTtl = globalTtl;
    }

    static RouteTable empty() {
        return EMPTY;
    }

    /**
     * A table of exactly these routes and this global TTL (empty: the store's default).
     *
     * @throws OutpostException {@link HubErrorCode#INVALID_ROUTE} naming the first route that does not compile
     */
    static RouteTable of(Collection<RouteDefinition> routes, Optional<Duration> globalTtl) {
        Map<String, Entry> compiled = new HashMap<>();
        for (RouteDefinition r : routes) {
            compiled.put(r.name(), compile(r));
        }
        return new RouteTable(compiled, globalTtl);
    }

    /** This table with {@code route} added, or replacing the route of its name. */
    RouteTable with(RouteDefinition route) {
        Map<String, Entry> copy = new HashMap<>(byName);
        copy.put(route.name(), compile(route));
        return new RouteTable(copy, globalTtl);
    }

    /** This table without the named route; empty when there is no such route. */
    Optional<RouteTable> without(String name) {
        if (!byName.containsKey(name)) {
            return Optional.empty();
        }
        Map<String, Entry> copy = new HashMap<>(byName);
        copy.remove(name);
        return Optional.of(new RouteTable(copy, globalTtl));
    }

    private static Entry compile(RouteDefinition route) {
        try {
            ParsedRoute parsed = RouteParser.parse(route.text());
            return new Entry(route, parsed, endpointOf(parsed.sink()));
        } catch (RouteSyntaxException e) {
            throw new OutpostException(HubErrorCode.INVALID_ROUTE, "route " + route.name() + ": " + e.getMessage(), e);
        }
    }

    /** The endpoint id of a route's sink. */
    static String endpointOf(RouteSink sink) {
        return sink.kind() == RouteSink.Kind.UPSTREAM ? Endpoints.UPSTREAM
                : Endpoints.moduleInput(sink.module(), sink.input());
    }

    /**
     * The endpoints a message goes to, each with the best (lowest) priority among the matching routes that lead
     * there and that route's TTL; when two such routes share the best priority, the longer TTL wins.
     */
    Map<String, Target> targets(RouteMessage message) {
        Map<String, Target> out = null;
        for (Entry e : entries) {
            if (!e.parsed().matches(message)) {
                continue;
            }
            Target candidate = new Target(e.definition().priority(), ttlOf(e.definition()));
            if (out == null) {
                out = new HashMap<>(4);
            }
            Target best = out.get(e.endpoint());
            if (best == null || better(candidate, best)) {
                out.put(e.endpoint(), candidate);
            }
        }
        return out == null ? Map.of() : out;
    }

    private static boolean better(Target a, Target b) {
        if (a.priority() != b.priority()) {
            return a.priority() < b.priority();
        }
        return seconds(a.ttl()) > seconds(b.ttl());
    }

    private static long seconds(Duration ttl) {
        return ttl == null ? 0 : ttl.toSeconds();
    }

    private Duration ttlOf(RouteDefinition route) {
        return route.ttlSecs() == RouteDefinition.GLOBAL_TTL ? globalTtl.orElse(null)
                : Duration.ofSeconds(route.ttlSecs());
    }

    List<RouteDefinition> routes() {
        return byName.values().stream().map(Entry::definition).toList();
    }

    Set<String> endpoints() {
        Set<String> out = new TreeSet<>();
        for (Entry e : entries) {
            out.add(e.endpoint());
        }
        return Collections.unmodifiableSet(out);
    }

    Optional<Duration> globalTtl() {
        return globalTtl;
    }

    @Override
    public String toString() {
        return "RouteTable[routes=" + byName.keySet() + ", globalTtl=" + globalTtl.orElse(null) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteTable t && routes().equals(t.routes()) && globalTtl.equals(t.globalTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(routes(), globalTtl);
    }
}
