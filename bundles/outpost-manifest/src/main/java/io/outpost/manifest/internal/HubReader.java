package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.manifest.HubSettings;
import io.outpost.manifest.Integrity;
import io.outpost.manifest.RouteSpec;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@code $edgeHub}: schema version, routes and store-and-forward settings. */
final class HubReader {

    private static final int MAX_PRIORITY = 9;
    private static final String STORE = "storeAndForwardConfiguration";

    private record Store(long timeToLiveSecs, OptionalLong maxSizeBytes) {
    }

    private HubReader() {
    }

    /**
     * @param hub the {@code $edgeHub} object
     * @param declared the module names the manifest declares, for route warnings
     */
    static Optional<HubSettings> read(Section hub, Set<String> declared) {
        Optional<Section> desired = hub.object(AgentReader.DESIRED, true);
        hub.warnUnknown();
        return desired.flatMap(d -> desired(d, declared));
    }

    private static Optional<HubSettings> desired(Section desired, Set<String> declared) {
        Optional<String> schema = SchemaVersions.read(desired, SchemaVersions.HUB, "$edgeHub");
        Optional<Store> store = store(desired, schema);
        long ttl = store.map(Store::timeToLiveSecs).orElse(HubSettings.DEFAULT_TIME_TO_LIVE_SECS);
        boolean objectRoutes = !"1.0".equals(schema.orElse(""));
        Optional<SortedMap<String, RouteSpec>> routes = desired.has("routes")
                ? desired.object("routes", true).flatMap(r -> routes(r, objectRoutes, ttl, declared))
                : Optional.of(new TreeMap<>());
        Optional<Optional<Integrity>> integrity = IntegrityReader.read(desired);
        desired.warnUnknown();
        if (schema.isEmpty() || store.isEmpty() || routes.isEmpty() || integrity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HubSettings(schema.get(), routes.get(), store.get().timeToLiveSecs(),
                store.get().maxSizeBytes(), integrity.get()));
    }

    /** {@code storeAndForwardConfiguration}: optional under schema 1.0 (the defaults apply), required from 1.1 on. */
    private static Optional<Store> store(Section desired, Optional<String> schema) {
        if (desired.has(STORE)) {
            return desired.object(STORE, true).flatMap(HubReader::store);
        }
        if (schema.isPresent() && !"1.0".equals(schema.get())) {
            desired.markRead(STORE);
            desired.problems().error(desired.pointer(STORE), "required property is missing; $edgeHub schemaVersion "
                    + schema.get() + " requires " + STORE + " (an object with timeToLiveSecs)");
            return Optional.empty();
        }
        return Optional.of(new Store(HubSettings.DEFAULT_TIME_TO_LIVE_SECS, OptionalLong.empty()));
    }

    private static Optional<Store> store(Section store) {
        boolean ok = true;
        OptionalLong ttl = store.integer("timeToLiveSecs", 0, RouteSpec.MAX_TIME_TO_LIVE_SECS);
        ok &= ttl.isPresent() || !store.has("timeToLiveSecs");
        OptionalLong max = OptionalLong.empty();
        Optional<Section> limits = store.object("storeLimits", false);
        if (limits.isPresent()) {
            max = limits.get().integer("maxSizeBytes", 1, Long.MAX_VALUE);
            ok &= max.isPresent() || !limits.get().has("maxSizeBytes");
            limits.get().warnUnknown();
        } else {
            ok &= !store.has("storeLimits");
        }
        store.warnUnknown();
        return ok ? Optional.of(new Store(ttl.orElse(HubSettings.DEFAULT_TIME_TO_LIVE_SECS), max)) : Optional.empty();
    }

    private static Optional<SortedMap<String, RouteSpec>> routes(Section routes, boolean objectRoutes, long ttl,
            Set<String> declared) {
        SortedMap<String, RouteSpec> result = new TreeMap<>();
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = routes.entries(); it.hasNext() && !routes.problems().full();) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<RouteSpec> route = route(routes, e.getKey(), e.getValue(), objectRoutes, ttl, declared);
            ok &= route.isPresent();
            route.ifPresent(r -> result.put(r.name(), r));
        }
        return ok ? Optional.of(result) : Optional.empty();
    }

    private static Optional<RouteSpec> route(Section routes, String name, JsonNode value, boolean objectRoutes,
            long ttl, Set<String> declared) {
        String pointer = routes.pointer(name);
        Problems problems = routes.problems();
        if (name.isEmpty()) {
            problems.error(pointer, "a route name is not empty");
            return Optional.empty();
        }
        if (value.isTextual()) {
            return text(value.textValue(), pointer, problems, declared)
                    .map(t -> new RouteSpec(name, t, RouteSpec.DEFAULT_PRIORITY, ttl));
        }
        if (!value.isObject()) {
            problems.error(pointer, "expected a route text or an object with route, priority and timeToLiveSecs, "
                    + "found " + Json.describe(value));
            return Optional.empty();
        }
        if (!objectRoutes) {
            problems.error(pointer, "a route given as an object needs $edgeHub schemaVersion 1.1 or later; this "
                    + "manifest declares 1.0");
            return Optional.empty();
        }
        Section spec = Section.of(value, pointer, problems).orElseThrow();
        Optional<String> text = spec.string("route", true, "a route text (FROM ... INTO ...)")
                .flatMap(t -> text(t, spec.pointer("route"), problems, declared));
        OptionalLong priority = spec.integer("priority", 0, MAX_PRIORITY);
        OptionalLong routeTtl = spec.integer("timeToLiveSecs", 0, RouteSpec.MAX_TIME_TO_LIVE_SECS);
        spec.warnUnknown();
        if (text.isEmpty() || (priority.isEmpty() && spec.has("priority"))
                || (routeTtl.isEmpty() && spec.has("timeToLiveSecs"))) {
            return Optional.empty();
        }
        return Optional.of(new RouteSpec(name, text.get(), (int) priority.orElse(RouteSpec.DEFAULT_PRIORITY),
                routeTtl.orElse(ttl)));
    }

    /** The route text when the route language compiles it; else empty, after an error at {@code pointer}. */
    private static Optional<String> text(String route, String pointer, Problems problems, Set<String> declared) {
        return RouteChecks.compile(route, pointer, problems).map(parsed -> {
            RouteChecks.warnUndeclared(parsed, pointer, declared, problems);
            return route;
        });
    }
}
