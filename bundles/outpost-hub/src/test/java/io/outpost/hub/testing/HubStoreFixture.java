package io.outpost.hub.testing;

import io.outpost.common.Clock;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.internal.ArtemisMessageStore;
import io.outpost.hub.internal.Router;
import io.outpost.hub.internal.StoreBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * The hub's durable store and router outside OSGi, for the tests and benchmarks of other modules (outpost-hub's
 * test-jar): the real store on an embedded Artemis broker in a folder, with the component's default settings;
 * routers over it; and plain core sessions and queues on the same broker. Only exported types (outpost-hub-api)
 * and Artemis' client API cross this boundary.
 */
public final class HubStoreFixture implements AutoCloseable {

    private final ArtemisMessageStore store;

    private HubStoreFixture(ArtemisMessageStore store) {
        this.store = store;
    }

    /** Opens the store in {@code dir} (recovering what its journal holds). */
    public static HubStoreFixture open(Path dir, Clock clock) {
        return new HubStoreFixture(ArtemisMessageStore.open(dir, clock));
    }

    public MessageStore store() {
        return store;
    }

    /** A new router (no routes yet) that fills this store. */
    public MessageRouter newRouter() {
        return new Router(store);
    }

    /**
     * Replaces every route of a router made by {@link #newRouter()} at once, as a deployment does (the global TTL
     * applies to routes without their own).
     */
    public static void replaceAll(MessageRouter router, Collection<RouteDefinition> routes,
            Optional<Duration> globalTtl) {
        ((Router) router).replaceAll(routes, globalTtl);
    }

    /** A new started in-VM core session on the store's broker: transacted, or auto-committing. */
    public ClientSession createSession(boolean transacted) throws Exception {
        return StoreBroker.createSession(store, transacted);
    }

    /** Creates a durable anycast queue of that name on the store's broker, unless it exists. */
    public void createDurableQueue(String name) throws Exception {
        StoreBroker.createDurableQueue(store, name);
    }

    @Override
    public void close() {
        store.close();
    }
}
