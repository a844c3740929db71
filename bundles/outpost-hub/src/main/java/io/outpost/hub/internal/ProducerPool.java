package io.outpost.hub.internal;

import io.outpost.hub.StoredMessage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * Sessions for durable sends, shared by the threads that enqueue. A session serves one thread at a time;
 * concurrent senders use different sessions, so the broker can sync their writes to the journal together.
 * Each send blocks until the broker confirmed the message is on disk.
 */
final class ProducerPool implements AutoCloseable {

    private record Slot(ClientSession session, ClientProducer producer) {
    }

    private final EmbeddedBroker broker;
    private final BlockingQueue<Slot> idle;

    ProducerPool(EmbeddedBroker broker, int maxIdle) {
        this.broker = broker;
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    /** Writes the message to the address and returns once it is durable. */
    void send(String address, StoredMessage message) throws Exception {
        Slot slot = idle.poll();
        if (slot == null) {
            ClientSession session = broker.createSession(false);
            slot = new Slot(session, session.createProducer());
        }
        boolean healthy = false;
        try {
            slot.producer().send(address, MessageCodec.write(message, slot.session().createMessage(true)));
            healthy = true;
        } finally {
            if (!healthy || !idle.offer(slot)) {
                slot.session().close();
            }
        }
    }

    @Override
    public void close() throws Exception {
        Slot slot;
        while ((slot = idle.poll()) != null) {
            slot.session().close();
        }
    }
}
