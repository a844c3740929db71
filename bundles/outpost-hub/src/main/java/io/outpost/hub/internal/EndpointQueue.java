package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.hub.DeadLetter;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.Priorities;
import io.outpost.hub.QueueStats;
import io.outpost.hub.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's queue: its quota, its counters and its consumer. Consumer calls hold {@link #lock}; a waiting
 * {@link #poll} releases it, so acknowledgements from another thread get through. Writers and wake-ups only signal,
 * under a lock of their own that no broker call holds.
 */
final class EndpointQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointQueue.class);

    /** How often a waiting poll looks again for messages that arrived without passing through the store. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final EndpointNames names;
    private final SimpleString address;
    private final EmbeddedBroker broker;
    private final Janitor janitor;
    private final Clock clock;
    private final EndpointQuota quota;
    private final AtomicLong expiredTotal = new AtomicLong();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final AtomicLong deadLetteredTotal = new AtomicLong();
    /** Serializes the consumer's broker calls; held across broker round trips. */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Guards only the signals below and is never held across a broker call, so that the threads raising them (the
     * store's confirmations, a connection's event loop) never wait for a broker round trip of the consumer.
     */
    private final ReentrantLock signals = new ReentrantLock();
    private final Condition signalled = signals.newCondition();
    /** The priorities written since the poller last looked (bit per priority); guarded by signals. */
    private int unseenPriorities;
    /** The consumer asked to end its next or current poll at once ({@link #wakeUp}); guarded by signals. */
    private boolean woken;
    /** How many wake-ups there were; guarded by signals. */
    private long wakeUps;
    private EndpointConsumer consumer;

    EndpointQueue(EndpointNames names, EmbeddedBroker broker, Janitor janitor, Clock clock, StoreSettings settings,
                  long recoveredBytes) {
        this.names = names;
        this.address = SimpleString.of(names.address());
        this.broker = broker;
        this.janitor = janitor;
        this.clock = clock;
        this.quota = new EndpointQuota(names.endpoint(), settings.maxSizeBytes(), settings.fullPolicy(),
                recoveredBytes);
    }

    EndpointNames names() {
        return names;
    }

    /** The endpoint's broker address, as the writers send to it. */
    SimpleString address() {
        return address;
    }

    /** Reserves quota for a message about to be written; see {@link EndpointQuota#reserve}. */
    void reserve(long size, int priority) {
        quota.reserve(size, priority, incoming -> {
            long freed = janitor.dropOldest(names, incoming);
            if (freed >= 0) {
                droppedTotal.incrementAndGet();
            }
            return freed;
        });
    }

    /** The reserved message was written (or not); wakes a waiting consumer when it was. */
    void written(long size, int priority, boolean stored) {
        quota.completed(size, stored);
        if (stored) {
            signals.lock();
            try {
                unseenPriorities |= 1 << priority;
                signalled.signalAll();
            } finally {
                signals.unlock();
            }
        }
    }

    List<StoredMessage> poll(int maxBatch, Duration timeout) throws InterruptedException {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        lock.lockInterruptibly();
        try {
            while (true) {
                int unseen = takeUnseen();
                if (consumer != null) {
                    markArrived(unseen);
                }
                List<StoredMessage> batch = drain(maxBatch);
                if (batch.isEmpty() && unseen != 0) {
                    // A write is confirmed once it is on disk; the broker adds it to its queue an instant later, on
                    // its own thread: let the queues written since the last look take in what they were given.
                    settle(unseen);
                    batch = drain(maxBatch);
                }
                long remaining = deadline - System.nanoTime();
                if (takeWoken() || !batch.isEmpty() || remaining <= 0) {
                    return batch;
                }
                // Wait without the consumer's lock, so that acknowledgements from another thread get through.
                lock.unlock();
                try {
                    awaitSignal(Math.min(remaining, RECHECK_NANOS));
                } finally {
                    lock.lock();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a {@link #wakeUp} after this call began, or the timeout. */
    void awaitWakeUp(Duration timeout) throws InterruptedException {
        long remaining = Math.max(0, timeout.toNanos());
        signals.lockInterruptibly();
        try {
            long since = wakeUps;
            while (wakeUps == since && remaining > 0) {
                remaining = signalled.awaitNanos(remaining);
            }
        } finally {
            signals.unlock();
        }
    }

    /** Ends the current or next {@link #poll} or {@link #awaitWakeUp} at once. */
    void wakeUp() {
        signals.lock();
        try {
            woken = true;
            wakeUps++;
            signalled.signalAll();
        } finally {
            signals.unlock();
        }
    }

    private int takeUnseen() {
        signals.lock();
        try {
            int unseen = unseenPriorities;
            unseenPriorities = 0;
            return unseen;
        } finally {
            signals.unlock();
        }
    }

    private boolean takeWoken() {
        signals.lock();
        try {
            boolean was = woken;
            woken = false;
            return was;
        } finally {
            signals.unlock();
        }
    }

    /** Waits until a write or a wake-up is signalled, or the timeout; returns at once if one is pending. */
    private void awaitSignal(long nanos) throws InterruptedException {
        signals.lockInterruptibly();
        try {
            if (unseenPriorities == 0 && !woken) {
                signalled.awaitNanos(nanos);
            }
        } finally {
            signals.unlock();
        }
    }

    private void markArrived(int priorities) {
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            if ((priorities & (1 << p)) != 0) {
                consumer.arrived(p);
            }
        }
    }

    private void settle(int priorities) {
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            if ((priorities & (1 << p)) != 0) {
                broker.settledQueue(names.queue(p));
            }
        }
        if (consumer != null) {
            markArrived(priorities);
        }
    }

    private List<StoredMessage> drain(int maxBatch) {
        return guarded("read", () -> {
            EndpointConsumer c = consumer();
            long nowMillis = clock.now().toEpochMilli();
            List<StoredMessage> batch = new ArrayList<>();
            long expired = 0;
            long expiredBytes = 0;
            ClientMessage raw;
            while (batch.size() < maxBatch && (raw = c.next()) != null) {
                if (MessageCodec.expiresAtMillis(raw) <= nowMillis) {
                    c.discard(raw);
                    expired++;
                    expiredBytes += MessageCodec.size(raw);
                } else {
                    batch.add(c.hold(raw));
                }
            }
            if (expired > 0) {
                c.commit();
                expiredTotal.addAndGet(expired);
                quota.freed(expiredBytes);
            }
            return batch;
        });
    }

    void ack(Collection<String> ids) {
        settled(guarded("acknowledge", () -> consumer().acknowledge(ids)));
    }

    void setInvalid(Collection<String> ids, String reason) {
        List<StoredMessage> moved = guarded("dead-letter", () -> consumer().deadLetter(ids, reason, clock.now()));
        deadLetteredTotal.addAndGet(moved.size());
        settled(moved);
    }

    private void settled(List<StoredMessage> removed) {
        quota.freed(removed.stream().mapToLong(StoredMessage::sizeBytes).sum());
    }

    /**
     * Puts every unsettled message back and closes the consumer, so that what it read ahead goes back too: a pump
     * that backs off holds nothing, and the drop-oldest policy may remove any message it did not hand out.
     */
    void release() {
        guarded("release", () -> {
            if (consumer != null) {
                consumer.rollback();
                resetConsumer();
            }
            return null;
        });
    }

    List<DeadLetter> deadLetters(int max) {
        return guarded("browse dead letters of", () -> consumer().browseDeadLetters(max));
    }

    /** Deletes the expired messages that no consumer has been handed; returns how many. */
    long sweepExpired() {
        Janitor.Sweep sweep = guarded("sweep", () -> janitor.sweepExpired(names, clock.now().toEpochMilli()));
        expiredTotal.addAndGet(sweep.messages());
        quota.freed(sweep.bytes());
        return sweep.messages();
    }

    QueueStats stats() {
        return guarded("read statistics of", () -> {
            Instant now = clock.now();
            List<Long> lengths = new ArrayList<>();
            Optional<Instant> oldest = consumer == null ? Optional.empty() : consumer.oldestHeld();
            for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
                Queue queue = broker.settledQueue(names.queue(p));
                lengths.add(queue.getMessageCount());
                oldest = earliest(oldest, head(queue));
            }
            Duration age = oldest.map(o -> Duration.between(o, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
            long deadLetterLength = broker.queue(names.deadLetterAddress()).getMessageCount();
            return new QueueStats(names.endpoint(), lengths.stream().mapToLong(Long::longValue).sum(), quota.used(),
                    age, expiredTotal.get(), droppedTotal.get(), deadLetteredTotal.get(), deadLetterLength, lengths);
        });
    }

    private static Optional<Instant> head(Queue queue) {
        MessageReference first = queue.peekFirstMessage();
        return first == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(MessageCodec.enqueuedAtMillis(first.getMessage())));
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.filter(x -> x.isBefore(a.get())).or(() -> a);
    }

    private EndpointConsumer consumer() throws Exception {
        if (consumer == null) {
            consumer = new EndpointConsumer(names, broker);
        }
        return consumer;
    }

    @FunctionalInterface
    private interface BrokerCall<T> {
        T call() throws Exception;
    }

    /** Runs a broker call under the lock; a failure returns unsettled messages to the queue and is reported. */
    private <T> T guarded(String what, BrokerCall<T> call) {
        lock.lock();
        try {
            return call.call();
        } catch (OutpostException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            resetConsumer();
            throw new OutpostException(HubErrorCode.STORE_UNAVAILABLE, "could not " + what + " endpoint "
                    + names.endpoint() + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void resetConsumer() {
        if (consumer != null) {
            try {
                consumer.close();
            } catch (Exception e) {
                LOG.warn("consumer-close-failed endpoint={}", names.endpoint(), e);
            } finally {
                consumer = null;
            }
        }
    }

    @Override
    public void close() throws Exception {
        lock.lock();
        try {
            if (consumer != null) {
                consumer.close();
                consumer = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
