package io.outpost.hub.camel.internal;

import io.outpost.hub.EndpointSender;
import io.outpost.hub.Endpoints;
import io.outpost.hub.MessageStore;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's Camel routes, one per endpoint, with the stable id {@code out-<endpoint>}:
 * {@code outpost-store:<endpoint>} (the endpoint's durable queue) to {@code outpost-endpoint:<endpoint>} (its
 * sender). {@link #reconcile} adds the routes of new endpoints and removes those of endpoints no route leads to
 * any more; their queues keep their messages. With {@code holdUpstream} set, {@code $upstream}'s route runs only
 * while a cloud link is registered ({@link #upstreamLinked}); without one its queue holds its messages.
 */
final class HubRoutes {

    static final String ROUTE_PREFIX = "out-";
    private static final Logger LOG = LoggerFactory.getLogger(HubRoutes.class);

    /** Settings of every pump, written into the consumer URIs. */
    record Options(int maxBatch, int window, long pollTimeoutMs, long backoffInitialMs, long backoffMaxMs,
            long moduleBackoffMaxMs, boolean holdUpstream) {
        /**
         * The pump's settings for this endpoint: a module input's back-off is capped at {@code moduleBackoffMaxMs},
         * so that a module that connects again is served within that time.
         */
        String query(String endpoint) {
            long max = Endpoints.isModuleInput(endpoint) ? Math.min(backoffMaxMs, moduleBackoffMaxMs) : backoffMaxMs;
            return "?maxBatch=" + maxBatch + "&window=" + window + "&pollTimeoutMs=" + pollTimeoutMs + "&backoffInitialMs="
                    + Math.min(backoffInitialMs, max) + "&backoffMaxMs=" + max;
        }
    }

    private final CamelContext context;
    private final Options options;
    private boolean linked;

    /** Adds the hub's components to the context; the caller starts and stops the context. */
    HubRoutes(CamelContext context, MessageStore store, EndpointSender sender, Options options) {
        this.context = context;
        this.options = options;
        context.addComponent(StoreComponent.SCHEME, new StoreComponent(store));
        context.addComponent(SenderComponent.SCHEME, new SenderComponent(sender));
    }

    static String routeId(String endpoint) {
        return ROUTE_PREFIX + endpoint;
    }

    /** Makes the context's {@code out-*} routes exactly those of {@code endpoints}. */
    synchronized void reconcile(Set<String> endpoints) throws Exception {
        for (String endpoint : new TreeSet<>(endpoints)) {
            if (context.getRoute(routeId(endpoint)) == null) {
                context.addRoutes(builder(endpoint));
                LOG.info("camel-route-added id={}", routeId(endpoint));
            }
        }
        for (Route route : List.copyOf(context.getRoutes())) {
            String id = route.getRouteId();
            if (id.startsWith(ROUTE_PREFIX) && !endpoints.contains(id.substring(ROUTE_PREFIX.length()))) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
                LOG.info("camel-route-removed id={}", id);
            }
        }
    }

    /** A cloud link appeared ({@code true}) or went away: starts or stops {@code $upstream}'s route if it is held. */
    synchronized void upstreamLinked(boolean linked) throws Exception {
        this.linked = linked;
        String id = routeId(Endpoints.UPSTREAM);
        if (!options.holdUpstream() || context.getRoute(id) == null) {
            return;
        }
        if (linked) {
            context.getRouteController().startRoute(id);
            LOG.info("camel-route-started id={} reason=cloud-link", id);
        } else {
            context.getRouteController().stopRoute(id);
            LOG.info("camel-route-stopped id={} reason=no-cloud-link", id);
        }
    }

    private RouteBuilder builder(String endpoint) {
        boolean held = options.holdUpstream() && !linked && Endpoints.UPSTREAM.equals(endpoint);
        return new RouteBuilder(context) {
            @Override
            public void configure() {
                from(StoreComponent.SCHEME + ":" + endpoint + options.query(endpoint))
                        .routeId(routeId(endpoint))
                        .routeDescription("pump of endpoint " + endpoint)
                        .autoStartup(!held)
                        .errorHandler(noErrorHandler())
                        .to(SenderComponent.SCHEME + ":" + endpoint);
            }
        };
    }
}
