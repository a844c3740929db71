package io.outpost.hub.camel.internal;

import io.outpost.common.ManualClock;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.testing.HubStoreFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;

/** A real store and router on an embedded broker, with the hub's Camel routes pumping into a {@link TestEndpoint}. */
final class PumpFixture implements AutoCloseable {

    /** Small batches and short back-off, so that tests see several batches and retries quickly. */
    static final HubRoutes.Options OPTIONS = new HubRoutes.Options(20, 16, 50, 20, 200, 200, true);

    final HubStoreFixture hub;
    final MessageStore store;
    final MessageRouter router;
    final TestEndpoint endpoint = new TestEndpoint();
    final DefaultCamelContext camel = new DefaultCamelContext();
    final HubRoutes routes;

    PumpFixture(Path dir) throws Exception {
        this(dir, OPTIONS);
    }

    PumpFixture(Path dir, HubRoutes.Options options) throws Exception {
        hub = HubStoreFixture.open(dir, ManualClock.atEpochOf2026());
        store = hub.store();
        router = hub.newRouter();
        camel.setName("outpost-hub-test");
        routes = new HubRoutes(camel, store, endpoint, options);
        camel.start();
    }

    /** Reconciles the Camel routes with the router's endpoints, as the component does after each change. */
    void reconcile() throws Exception {
        routes.reconcile(router.endpoints());
    }

    static Message message(String label) {
        return new Message(Map.of("contentType", "text/plain"), Map.of("label", label),
                label.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        camel.stop();
        hub.close();
    }
}
