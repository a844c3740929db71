package io.outpost.hub.camel.internal;

import io.outpost.hub.EndpointSender;
import io.outpost.hub.MessageStore;
import java.util.Set;
import org.apache.camel.CamelContext;

/** Lets the benchmark (in the store's package) set up the hub's Camel routes with the component's defaults. */
public final class BenchRoutes {

    private static final HubRoutes.Options DEFAULTS = new HubRoutes.Options(100, 1000, 1000, 60_000, true);

    private BenchRoutes() {
    }

    public static void start(CamelContext camel, MessageStore store, EndpointSender sender) {
        camel.getRegistry().bind("outpost-hub-routes", new HubRoutes(camel, store, sender, DEFAULTS));
        camel.start();
    }

    public static void reconcile(CamelContext camel, Set<String> endpoints) throws Exception {
        camel.getRegistry().lookupByNameAndType("outpost-hub-routes", HubRoutes.class).reconcile(endpoints);
    }
}
