package io.outpost.hub.internal;

import io.outpost.hub.Priorities;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.AckReason;

/** Removes messages that no consumer will get: the oldest ones under drop-oldest, and expired ones. */
final class Janitor implements AutoCloseable {

    /** What a sweep removed. */
    record Sweep(long messages, long bytes) {
    }

    private static final int FLUSH_LIMIT = 1000;
    private static final long OPERATION_TIMEOUT_MILLIS = 30_000;

    private final EmbeddedBroker broker;
    private final ClientSession session;

    Janitor(EmbeddedBroker broker) throws Exception {
        this.broker = broker;
        this.session = broker.createSession(false);
    }

    /**
     * Removes the oldest message of the lowest priority present, never one of a higher priority than
     * {@code incomingPriority}; returns its quota size, or -1 when there is none to remove.
     */
    synchronized long dropOldest(EndpointNames names, int incomingPriority) throws Exception {
        for (int p = Priorities.LOWEST; p >= incomingPriority; p--) {
            Queue queue = broker.settledQueue(names.queue(p));
            if (queue.getMessageCount() - queue.getDeliveringCount() <= 0) {
                continue;
            }
            try (ClientConsumer consumer = session.createConsumer(names.queue(p))) {
                ClientMessage oldest = consumer.receiveImmediate();
                if (oldest != null) {
                    oldest.acknowledge();
                    return MessageCodec.size(oldest);
                }
            }
        }
        return -1;
    }

    /** Deletes every message of the endpoint whose TTL passed at {@code nowMillis}, wherever it is queued. */
    synchronized Sweep sweepExpired(EndpointNames names, long nowMillis) throws Exception {
        long messages = 0;
        long bytes = 0;
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            ExpiryFilter filter = new ExpiryFilter(nowMillis);
            messages += broker.queue(names.queue(p)).deleteMatchingReferences(FLUSH_LIMIT, filter, AckReason.EXPIRED);
            bytes += filter.matchedBytes();
        }
        if (messages > 0) {
            // the deletions are committed; wait until the broker has also updated its queue counters
            broker.server().getStorageManager().waitOnOperations(OPERATION_TIMEOUT_MILLIS);
        }
        return new Sweep(messages, bytes);
    }

    @Override
    public synchronized void close() throws Exception {
        session.close();
    }
}
