package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.hub.DeadLetter;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.Message;
import io.outpost.hub.MessageStore;
import io.outpost.hub.Priorities;
import io.outpost.hub.QueueStats;
import io.outpost.hub.StoredMessage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageStore} on an embedded Artemis broker. Open it with {@link #open}; it recovers every
 * endpoint queue the journal holds. Expiry is decided with the injected {@link Clock}: expired messages
 * are skipped when met by a consumer and removed by {@link #sweepExpired()}, which the owner runs
 * periodically; the broker's own wall-clock expiry is not used.
 */
public final class ArtemisMessageStore implements MessageStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisMessageStore.class);
    /**
     * Writing threads, each with its own session: a sender's writes always go to the same one (its order), and two
     * keep sending while the broker's executor for the other is busy; the journal syncs what both sent together.
     */
    static final int COMMIT_LANES = 2;

    private final StoreSettings settings;
    private final Clock clock;
    private final EmbeddedBroker broker;
    private final Janitor janitor;
    private final GroupCommitter committer;
    private final Map<String, EndpointQueue> queues = new ConcurrentHashMap<>();
    /**
     * Message ids: 64 random bits drawn when the store opens, then a counter, written as a UUID. Unique like random
     * UUIDs for all practical purposes, without a draw from the secure random source per message.
     */
    private final long idPrefix = new SecureRandom().nextLong();
    private final AtomicLong idCounter = new AtomicLong();

    private ArtemisMessageStore(StoreSettings settings, Clock clock, EmbeddedBroker broker) throws Exception {
        this.settings = settings;
        this.clock = clock;
        this.broker = broker;
        this.janitor = new Janitor(broker);
        this.committer = new GroupCommitter(broker, COMMIT_LANES);
        for (String endpoint : broker.endpoints()) {
            queues.put(endpoint, createQueue(EndpointNames.of(endpoint), true));
        }
    }

    /** Starts the broker on the settings' data directory and recovers the stored queues. */
    static ArtemisMessageStore open(StoreSettings settings, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        EmbeddedBroker broker = null;
        try {
            broker = EmbeddedBroker.start(settings.dataDir());
            ArtemisMessageStore store = new ArtemisMessageStore(settings, clock, broker);
            LOG.info("store-opened dataDir={} endpoints={} maxSizeBytes={} fullPolicy={}", settings.dataDir(),
                    store.queues.size(), settings.maxSizeBytes(), settings.fullPolicy().configValue());
            return store;
        } catch (Exception e) {
            closeQuietly(broker);
            throw new OutpostException(HubErrorCode.STORE_UNAVAILABLE, "could not open the store in "
                    + settings.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a store outside OSGi with the component's defaults (1 GiB per endpoint, {@code reject}, 7200 s), for
     * tests and benchmarks of the components that use it.
     */
    public static ArtemisMessageStore open(Path dataDir, Clock clock) {
        return open(new StoreSettings(dataDir, 1L << 30, FullPolicy.REJECT, Duration.ofSeconds(7200)), clock);
    }

    EmbeddedBroker broker() {
        return broker;
    }

    @Override
    public String enqueue(String endpoint, Message message, int priority, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        return Futures.join(enqueueAll(List.of(new Placement(endpoint, priority, ttl)), message, endpoint)).get(0);
    }

    @Override
    public String enqueue(String endpoint, Message message, int priority) {
        return Futures.join(enqueueAll(List.of(new Placement(endpoint, priority, null)), message, endpoint)).get(0);
    }

    /**
     * Reserves room in each placement's queue on the calling thread (a full queue refuses here, before anything
     * is written), then hands the writes to the group committer.
     */
    @Override
    public CompletableFuture<List<String>> enqueueAll(List<Placement> placements, Message message, String orderKey) {
        Objects.requireNonNull(message, "message");
        Instant now = clock.now().truncatedTo(ChronoUnit.MILLIS);
        List<GroupCommitter.Write> writes = new ArrayList<>(placements.size());
        List<String> ids = new ArrayList<>(placements.size());
        try {
            for (Placement p : placements) {
                Priorities.check(p.priority());
                Duration ttl = p.ttl() == null ? settings.defaultTtl() : p.ttl();
                if (ttl.isNegative() || ttl.isZero()) {
                    throw new IllegalArgumentException("ttl must be positive: " + ttl);
                }
                EndpointQueue queue = queue(p.endpoint());
                StoredMessage stored = new StoredMessage(nextId(), p.endpoint(), p.priority(),
                        now, now.plus(ttl), message.systemProperties(), message.properties(), message.body());
                long size = stored.sizeBytes();
                queue.reserve(size, p.priority());
                writes.add(new GroupCommitter.Write(queue, stored, size));
                ids.add(stored.id());
            }
        } catch (RuntimeException e) {
            for (GroupCommitter.Write w : writes) {
                w.queue().written(w.size(), w.message().priority(), false);
            }
            return CompletableFuture.failedFuture(e);
        }
        return committer.submit(orderKey, writes).thenApply(v -> ids);
    }

    private String nextId() {
        return new UUID(idPrefix, idCounter.incrementAndGet()).toString();
    }

    @Override
    public List<StoredMessage> poll(String endpoint, int maxBatch, Duration timeout) throws InterruptedException {
        return queue(endpoint).poll(maxBatch, Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public void wakeUp(String endpoint) {
        queue(endpoint).wakeUp();
    }

    @Override
    public void awaitWakeUp(String endpoint, Duration timeout) throws InterruptedException {
        queue(endpoint).awaitWakeUp(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public void ack(String endpoint, Collection<String> ids) {
        queue(endpoint).ack(List.copyOf(ids));
    }

    @Override
    public void release(String endpoint) {
        queue(endpoint).release();
    }

    @Override
    public void setInvalid(String endpoint, Collection<String> ids, String reason) {
        queue(endpoint).setInvalid(List.copyOf(ids), Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public List<DeadLetter> deadLetters(String endpoint, int max) {
        return queue(endpoint).deadLetters(max);
    }

    @Override
    public QueueStats stats(String endpoint) {
        return queue(endpoint).stats();
    }

    @Override
    public Set<String> endpoints() {
        return Set.copyOf(queues.keySet());
    }

    /** Removes the expired messages of every endpoint that no consumer holds; returns how many. */
    public long sweepExpired() {
        long removed = 0;
        for (EndpointQueue queue : queues.values()) {
            removed += queue.sweepExpired();
        }
        return removed;
    }

    private EndpointQueue queue(String endpoint) {
        EndpointQueue queue = endpoint == null ? null : queues.get(endpoint);
        if (queue != null) {
            return queue;
        }
        EndpointNames names = EndpointNames.of(endpoint);
        return queues.computeIfAbsent(endpoint, e -> createQueue(names, false));
    }

    private EndpointQueue createQueue(EndpointNames names, boolean recovered) {
        try {
            broker.ensureEndpoint(names);
            long bytes = recovered ? storedBytes(names) : 0;
            return new EndpointQueue(names, broker, janitor, clock, settings, bytes);
        } catch (Exception e) {
            throw new OutpostException(HubErrorCode.STORE_UNAVAILABLE, "could not create the queues of endpoint "
                    + names.endpoint() + ": " + e.getMessage(), e);
        }
    }

    private long storedBytes(EndpointNames names) {
        long bytes = 0;
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            try (LinkedListIterator<MessageReference> refs = broker.queue(names.queue(p)).browserIterator()) {
                while (refs.hasNext()) {
                    bytes += MessageCodec.size(refs.next().getMessage());
                }
            }
        }
        return bytes;
    }

    /** Stops consuming and the broker; messages handed out and not acknowledged stay stored. */
    @Override
    public void close() {
        closeQuietly(committer);
        for (EndpointQueue queue : queues.values()) {
            closeQuietly(queue);
        }
        queues.clear();
        closeQuietly(janitor);
        closeQuietly(broker);
        LOG.info("store-closed dataDir={}", settings.dataDir());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("store-close-failed part={}", closeable.getClass().getSimpleName(), e);
        }
    }
}
