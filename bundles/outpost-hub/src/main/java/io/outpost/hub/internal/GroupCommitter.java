package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.SendAcknowledgementHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable writes with group commit. Writes are handed to one of a few lanes by their order key; each lane is a
 * thread with a writing session ({@link EmbeddedBroker#createWriteSession}) that sends every write waiting for it
 * without blocking. The broker appends the sends that arrive together to its journal and syncs them at once, then
 * confirms each; a write completes when every message of it is confirmed, that is on disk and in its queue. So many
 * writes, of one sender and of many, share one sync, and nothing waits for a sync while sending. Writes with the same
 * order key go to the same lane, in the order they were submitted, and a session's sends are stored in order, so one
 * sender's messages keep their order in every endpoint queue.
 */
final class GroupCommitter implements AutoCloseable {

    /** One message for one endpoint queue; {@code size} is what the queue reserved for it. */
    record Write(EndpointQueue queue, StoredMessage message, long size) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** A submitted group of writes (one message for its endpoints) and what completes when they are durable. */
    private static final class Pending {
        final List<Write> writes;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger unconfirmed;
        final boolean[] stored;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile String failure;

        Pending(List<Write> writes) {
            this.writes = writes;
            this.unconfirmed = new AtomicInteger(writes.size());
            this.stored = new boolean[writes.size()];
        }

        /** Settles the queues' reservations and completes, once. */
        void finish(String reason) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            String why = reason != null ? reason : failure;
            for (int i = 0; i < writes.size(); i++) {
                Write w = writes.get(i);
                w.queue().written(w.size(), w.message().priority(), why == null || stored[i]);
            }
            if (why == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(new OutpostException(HubErrorCode.STORE_UNAVAILABLE, why));
            }
        }
    }

    private final EmbeddedBroker broker;
    private final Lane[] lanes;

    GroupCommitter(EmbeddedBroker broker, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1: " + lanes);
        }
        this.broker = broker;
        this.lanes = new Lane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = new Lane(i);
        }
    }

    /**
     * Writes these messages durably; completes once all of them are on disk and in their queues, or fails with
     * {@link HubErrorCode#STORE_UNAVAILABLE}. The queues' reservations are settled either way.
     */
    CompletableFuture<Void> submit(String orderKey, List<Write> writes) {
        Pending pending = new Pending(writes);
        if (writes.isEmpty()) {
            pending.finish(null);
            return pending.done;
        }
        Lane lane = lanes[Math.floorMod(orderKey == null ? 0 : orderKey.hashCode(), lanes.length)];
        if (!lane.offer(pending)) {
            pending.finish("the store is closed");
        }
        return pending.done;
    }

    @Override
    public void close() {
        for (Lane lane : lanes) {
            lane.stop();
        }
        for (Lane lane : lanes) {
            lane.join();
        }
    }

    /** One sending thread, its session, and its writes awaiting confirmation. */
    private final class Lane implements Runnable {

        private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
        private final Set<Pending> unconfirmed = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean stopping;
        private ClientSession session;
        private ClientProducer producer;

        Lane(int index) {
            this.thread = new Thread(this, "outpost-hub-store-writer-" + index);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        boolean offer(Pending pending) {
            if (stopping) {
                return false;
            }
            waiting.add(pending);
            return !stopping || !waiting.remove(pending);
        }

        void stop() {
            stopping = true;
            thread.interrupt();
        }

        void join() {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    send(waiting.take());
                }
            } catch (InterruptedException e) {
                // stopping
            } finally {
                Pending left;
                while ((left = waiting.poll()) != null) {
                    left.finish("the store is closing");
                }
                closeSession("the store is closing");
            }
        }

        private void send(Pending pending) {
            try {
                if (session == null) {
                    session = broker.createWriteSession();
                    producer = session.createProducer();
                }
                unconfirmed.add(pending);
                for (int i = 0; i < pending.writes.size(); i++) {
                    Write w = pending.writes.get(i);
                    producer.send(w.queue().address(),
                            MessageCodec.write(w.message(), session.createMessage(true)), confirmation(pending, i));
                }
            } catch (Exception e) {
                LOG.warn("store-write-failed error=\"{}\"", e.getMessage());
                pending.failure = "could not store the message: " + e.getMessage();
                closeSession("could not store the message: " + e.getMessage());
            }
        }

        private SendAcknowledgementHandler confirmation(Pending pending, int index) {
            return new SendAcknowledgementHandler() {
                @Override
                public void sendAcknowledged(Message message) {
                    pending.stored[index] = true;
                    confirmed(pending);
                }

                @Override
                public void sendFailed(Message message, Exception e) {
                    pending.failure = "could not store the message: " + e.getMessage();
                    confirmed(pending);
                }
            };
        }

        private void confirmed(Pending pending) {
            if (pending.unconfirmed.decrementAndGet() == 0) {
                unconfirmed.remove(pending);
                pending.finish(null);
            }
        }

        /** Closes the session; what it had not confirmed fails (it may or may not be stored). */
        private void closeSession(String reason) {
            if (session != null) {
                try {
                    session.close();
                } catch (Exception e) {
                    LOG.debug("store-writer-session-close-failed error=\"{}\"", e.getMessage());
                }
                session = null;
                producer = null;
            }
            for (Pending p : unconfirmed) {
                unconfirmed.remove(p);
                p.finish(reason);
            }
        }
    }
}
