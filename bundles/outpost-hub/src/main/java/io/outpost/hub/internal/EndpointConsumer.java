package io.outpost.hub.internal;

import io.outpost.hub.DeadLetter;
import io.outpost.hub.Priorities;
import io.outpost.hub.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.server.Queue;

/**
 * The broker side of one endpoint's consumer: a transacted session with one consumer per priority queue
 * (no prefetch, so priority is decided per message) and the messages handed out and not yet settled.
 * Acknowledgements and dead-letter moves are committed together; a rollback puts every unsettled message
 * back at the head of its queue. Not thread-safe: {@link EndpointQueue} serializes the calls.
 */
final class EndpointConsumer implements AutoCloseable {

    private record Held(ClientMessage raw, StoredMessage message) {
    }

    /** Bytes of messages the broker may push ahead to each priority's consumer, so that a poll rarely waits for it. */
    static final int PREFETCH_BYTES = 64 * 1024;

    private final EndpointNames names;
    private final EmbeddedBroker broker;
    private final ClientSession session;
    private final ClientProducer producer;
    private final ClientConsumer[] consumers = new ClientConsumer[Priorities.LEVELS];
    /** The broker's queue of each priority, looked up once. */
    private final Queue[] queues = new Queue[Priorities.LEVELS];
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final int[] heldByPriority = new int[Priorities.LEVELS];
    private final boolean[] arrived = new boolean[Priorities.LEVELS];

    EndpointConsumer(EndpointNames names, EmbeddedBroker broker) throws Exception {
        this.names = names;
        this.broker = broker;
        this.session = broker.createSession(true);
        this.producer = session.createProducer();
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            queues[p] = broker.queue(names.queue(p));
        }
        Arrays.fill(arrived, true);
    }

    /** A message of this priority was just written: look in its queue even if the broker's count lags. */
    void arrived(int priority) {
        arrived[priority] = true;
    }

    /**
     * The next message in delivery order, delivered to this session but not yet held; null if none. A
     * priority queue is asked only when the broker counts messages in it that this consumer does not hold,
     * or when a message was written to it since it was last found empty.
     */
    ClientMessage next() throws Exception {
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            if (arrived[p] || queues[p].getMessageCount() > heldByPriority[p]) {
                ClientMessage message = consumer(p).receiveImmediate();
                if (message != null) {
                    return message;
                }
                arrived[p] = false;
            }
        }
        return null;
    }

    private ClientConsumer consumer(int priority) throws Exception {
        if (consumers[priority] == null) {
            consumers[priority] = session.createConsumer(SimpleString.of(names.queue(priority)), null,
                    PREFETCH_BYTES, -1, false);
        }
        return consumers[priority];
    }

    /** Keeps a delivered message as handed out, until it is settled. */
    StoredMessage hold(ClientMessage raw) {
        StoredMessage message = MessageCodec.read(raw, names.endpoint());
        held.put(message.id(), new Held(raw, message));
        heldByPriority[message.priority()]++;
        return message;
    }

    /** Acknowledges a delivered message that is not handed out (expired); takes effect at {@link #commit()}. */
    void discard(ClientMessage raw) throws Exception {
        raw.individualAcknowledge();
    }

    /** Acknowledges handed-out messages and commits; returns those it removed. */
    List<StoredMessage> acknowledge(Collection<String> ids) throws Exception {
        List<StoredMessage> removed = new ArrayList<>();
        for (String id : ids) {
            Held h = take(id);
            if (h != null) {
                h.raw().individualAcknowledge();
                removed.add(h.message());
            }
        }
        commit();
        return removed;
    }

    /** Moves handed-out messages to the dead-letter queue and commits; returns those it moved. */
    List<StoredMessage> deadLetter(Collection<String> ids, String reason, Instant now) throws Exception {
        List<StoredMessage> moved = new ArrayList<>();
        for (String id : ids) {
            Held h = take(id);
            if (h != null) {
                ClientMessage copy = MessageCodec.write(h.message(), session.createMessage(true));
                copy.putStringProperty(MessageCodec.REASON, reason);
                copy.putLongProperty(MessageCodec.DEAD_LETTERED_AT, now.toEpochMilli());
                producer.send(names.deadLetterAddress(), copy);
                h.raw().individualAcknowledge();
                moved.add(h.message());
            }
        }
        commit();
        return moved;
    }

    private Held take(String id) {
        Held h = held.remove(id);
        if (h != null) {
            heldByPriority[h.message().priority()]--;
        }
        return h;
    }

    void commit() throws Exception {
        session.commit();
    }

    /** Puts every unsettled message back in its queue, in its original place. */
    void rollback() throws Exception {
        held.clear();
        Arrays.fill(heldByPriority, 0);
        session.rollback();
    }

    /** When the oldest handed-out, unsettled message was enqueued. */
    Optional<Instant> oldestHeld() {
        return held.values().stream().map(h -> h.message().enqueuedAt()).min(Instant::compareTo);
    }

    /** The dead letters, oldest first, without removing them. */
    List<DeadLetter> browseDeadLetters(int max) throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        try (ClientConsumer browser = session.createConsumer(names.deadLetterAddress(), true)) {
            ClientMessage raw;
            while (letters.size() < max && (raw = browser.receiveImmediate()) != null) {
                letters.add(new DeadLetter(MessageCodec.read(raw, names.endpoint()),
                        raw.getStringProperty(MessageCodec.REASON),
                        Instant.ofEpochMilli(raw.getLongProperty(MessageCodec.DEAD_LETTERED_AT))));
            }
        }
        return letters;
    }

    @Override
    public void close() throws Exception {
        held.clear();
        session.close();
    }
}
