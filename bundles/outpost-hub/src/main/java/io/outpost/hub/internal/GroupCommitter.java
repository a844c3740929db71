package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable writes with group commit. Writes are handed to one of a few lanes by their order key; each lane is a
 * thread with a transacted session that takes every write waiting for it (up to {@link #MAX_BATCH_MESSAGES}
 * messages or {@link #MAX_BATCH_BYTES}), sends them and commits once: one journal sync for the whole batch,
 * after which every write of the batch completes. The lanes commit in parallel, and the broker's journal syncs
 * their commits together. Writes with the same order key go to the same lane, in the order they were submitted,
 * so one sender's messages keep their order in every endpoint queue.
 */
final class GroupCommitter implements AutoCloseable {

    /** One message for one endpoint queue; {@code size} is what the queue reserved for it. */
    record Write(EndpointQueue queue, StoredMessage message, long size) {
    }

    static final int MAX_BATCH_MESSAGES = 512;
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** A submitted group of writes (one message for its endpoints) and what completes when they are durable. */
    private record Pending(List<Write> writes, long bytes, CompletableFuture<Void> done) {
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
     * Writes these messages durably; completes once all of them are committed, or fails with
     * {@link HubErrorCode#STORE_UNAVAILABLE} (none of them is then stored). The queues' reservations are settled
     * either way.
     */
    CompletableFuture<Void> submit(String orderKey, List<Write> writes) {
        long bytes = 0;
        for (Write w : writes) {
            bytes += w.size();
        }
        Pending pending = new Pending(writes, bytes, new CompletableFuture<>());
        Lane lane = lanes[Math.floorMod(orderKey == null ? 0 : orderKey.hashCode(), lanes.length)];
        if (!lane.offer(pending)) {
            settle(pending, false);
            pending.done().completeExceptionally(new OutpostException(HubErrorCode.STORE_UNAVAILABLE,
                    "the store is closed"));
        }
        return pending.done();
    }

    private static void settle(Pending pending, boolean stored) {
        for (Write w : pending.writes()) {
            w.queue().written(w.size(), w.message().priority(), stored);
        }
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

    /** One committing thread and its session. */
    private final class Lane implements Runnable {

        private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean stopping;
        private ClientSession session;
        private ClientProducer producer;

        Lane(int index) {
            this.thread = new Thread(this, "outpost-hub-store-commit-" + index);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        boolean offer(Pending pending) {
            if (stopping) {
                return false;
            }
            waiting.add(pending);
            if (stopping && waiting.remove(pending)) {
                return false;
            }
            return true;
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
            List<Pending> batch = new ArrayList<>();
            try {
                while (!stopping || !waiting.isEmpty()) {
                    Pending first = stopping ? waiting.poll() : waiting.take();
                    if (first == null) {
                        break;
                    }
                    batch.add(first);
                    long bytes = first.bytes();
                    int messages = first.writes().size();
                    Pending next;
                    while (messages < MAX_BATCH_MESSAGES && bytes < MAX_BATCH_BYTES
                            && (next = waiting.poll()) != null) {
                        batch.add(next);
                        bytes += next.bytes();
                        messages += next.writes().size();
                    }
                    commit(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                // stopping: what is still waiting fails below
            } finally {
                fail(batch, "the store is closing");
                Pending left;
                while ((left = waiting.poll()) != null) {
                    fail(List.of(left), "the store is closing");
                }
                closeSession();
            }
        }

        private void commit(List<Pending> batch) {
            try {
                if (session == null) {
                    session = broker.createSession(true);
                    producer = session.createProducer();
                }
                for (Pending p : batch) {
                    for (Write w : p.writes()) {
                        producer.send(w.queue().names().address(),
                                MessageCodec.write(w.message(), session.createMessage(true)));
                    }
                }
                session.commit();
            } catch (Exception e) {
                LOG.warn("store-commit-failed messages={} error=\"{}\"", batch.size(), e.getMessage());
                closeSession();
                fail(batch, "could not store the message: " + e.getMessage());
                return;
            }
            for (Pending p : batch) {
                settle(p, true);
                p.done().complete(null);
            }
        }

        private void fail(List<Pending> batch, String reason) {
            for (Pending p : batch) {
                settle(p, false);
                p.done().completeExceptionally(new OutpostException(HubErrorCode.STORE_UNAVAILABLE, reason));
            }
            batch.clear();
        }

        private void closeSession() {
            if (session != null) {
                try {
                    session.close();
                } catch (Exception e) {
                    LOG.debug("store-commit-session-close-failed error=\"{}\"", e.getMessage());
                }
                session = null;
                producer = null;
            }
        }
    }
}
