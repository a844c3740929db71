package io.outpost.hub.internal;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * The store's embedded broker as plain Artemis, for {@link io.outpost.hub.testing.HubStoreFixture} (which lives
 * outside this package so that other modules use only it): core sessions and durable queues of their own beside
 * the endpoint queues, e.g. for a benchmark's baseline.
 */
public final class StoreBroker {

    private StoreBroker() {
    }

    /** A new started in-VM core session on the store's broker: transacted, or auto-committing. */
    public static ClientSession createSession(ArtemisMessageStore store, boolean transacted) throws Exception {
        return store.broker().createSession(transacted);
    }

    /** Creates a durable anycast queue of that name unless it exists. */
    public static void createDurableQueue(ArtemisMessageStore store, String name) throws Exception {
        if (store.broker().server().locateQueue(name) == null) {
            store.broker().server().createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true));
        }
    }
}
