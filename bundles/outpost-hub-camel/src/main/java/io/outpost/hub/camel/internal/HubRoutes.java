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
 * any more; their queues keep their messages. {@code $upstream}'s route is created stopped while
 * {@code holdUpstream} is set (no cloud link yet), so its queue holds its messages.
 */
final class HubRoutes {

    static final String ROUTE_PREFIX = "out-";
    private static final Logger LOG = LoggerFactory.getLogger(HubRoutes.class);

    /** Settings of every pump, written into the consumer URIs. */
    record Options(int maxBatch, long pollTimeoutMs, long backoffInitialMs, long backoffMaxMs, boolean holdUpstream) {
        String query() {
            return "?maxBatch=" + maxBatch + "&pollTimeoutMs=" + pollTimeoutMs + "&backoffInitialMs="
                    + backoffInitialMs + "&backoffMaxMs=" + backoffMaxMs;
        }
    }

    private final CamelContext context;
    private final Options options;

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

    private RouteBuilder builder(String endpoint) {
        boolean held = options.holdUpstream() && Endpoints.UPSTREAM.equals(endpoint);
        return new RouteBuilder(context) {
            @Override
            public void configure() {
                from(StoreComponent.SCHEME + ":" + endpoint + options.query())
                        .routeId(routeId(endpoint))
                        .routeDescription("pump of endpoint " + endpoint)
                        .autoStartup(!held)
                        .errorHandler(noErrorHandler())
                        .to(SenderComponent.SCHEME + ":" + endpoint);
            }
        };
    }
}
