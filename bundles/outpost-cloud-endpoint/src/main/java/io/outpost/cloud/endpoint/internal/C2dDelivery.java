package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.Ids;
import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.IotHubTopics;
import io.outpost.iothub.IotMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the durable cloud-to-device queues to the devices connected to this node. Each device has at most one
 * delivery round running: it reads the oldest queued messages from the store, sends them one at a time and marks
 * each delivered only after the device's PUBACK, so the order holds and nothing is lost (a message whose PUBACK
 * did not come stays queued and is sent again: at least once). A round starts when a message is queued here for
 * a device connected here, when a device subscribes to {@code devices/<d>/messages/devicebound/#} and on the
 * periodic sweep, which finds messages queued through other nodes.
 */
final class C2dDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(C2dDelivery.class);
    private static final int BATCH = 16;

    private final CloudToDeviceQueue queue;
    private final C2dSettings settings;
    private final Clock clock;
    private final ExecutorService db;
    private final Map<String, Boolean> rounds = new HashMap<>();
    private final ConcurrentMap<Long, CompletableFuture<C2dState>> waiters = new ConcurrentHashMap<>();
    private volatile DialectServer server;

    C2dDelivery(CloudToDeviceQueue queue, C2dSettings settings, Clock clock, ExecutorService db) {
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
        this.db = db;
    }

    /** The server deliveries go through, once it runs. */
    void attach(DialectServer dialectServer) {
        this.server = dialectServer;
    }

    CloudToDeviceQueue queue() {
        return queue;
    }

    C2dSettings settings() {
        return settings;
    }

    static String deviceboundPrefix(String deviceId) {
        return IotHubTopics.deviceBoundPrefix(deviceId);
    }

    /** Queues a message and, when the device is connected here, starts its delivery; see CloudMessaging. */
    CompletionStage<C2dEntry> send(String deviceId, CloudToDeviceMessage message, Duration waitForDelivery) {
        Ids.device(deviceId);
        if (message.ttl().compareTo(C2dSettings.MAX_TTL) > 0) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "ttlSeconds must be between 1 and "
                    + C2dSettings.MAX_TTL.toSeconds() + " (48 h): " + message.ttl().toSeconds());
        }
        Duration ttl = message.ttl().isZero() ? settings.defaultTtl() : message.ttl();
        CloudToDeviceMessage toQueue = new CloudToDeviceMessage(
                message.messageId().isEmpty() ? UUID.randomUUID().toString() : message.messageId(),
                message.correlationId(), message.contentType(), message.contentEncoding(), ttl, message.properties(),
                message.body());
        CompletableFuture<C2dEntry> queued;
        try {
            queued = CompletableFuture.supplyAsync(() -> queue.enqueue(deviceId, toQueue, settings.maxQueued()), db);
        } catch (RejectedExecutionException e) {
            throw new OutpostException(CloudErrorCode.STORE_UNAVAILABLE, "the device endpoint is stopping");
        }
        return queued.thenCompose(entry -> {
            LOG.debug("c2d-queued device={} messageId={} seq={} expiresAt={}", deviceId,
                    entry.message().messageId(), entry.seq(), entry.expiresAt());
            if (!subscribedHere(deviceId)) {
                return CompletableFuture.completedFuture(entry);
            }
            if (waitForDelivery.isZero() || waitForDelivery.isNegative()) {
                kick(deviceId);
                return CompletableFuture.completedFuture(entry);
            }
            CompletableFuture<C2dState> done = new CompletableFuture<>();
            waiters.put(entry.seq(), done);
            kick(deviceId);
            return done.completeOnTimeout(C2dState.QUEUED, waitForDelivery.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(state -> {
                        waiters.remove(entry.seq());
                        return state == C2dState.DELIVERED ? entry.withState(state, clock.now()) : entry;
                    });
        });
    }

    /** A device subscribed to a topic filter: its queue is delivered when that is its devicebound filter. */
    void subscribed(ClientIdentity identity, String topicFilter) {
        if (!identity.isModule() && topicFilter.startsWith(deviceboundPrefix(identity.deviceId()))) {
            kick(identity.deviceId());
        }
    }

    /** Starts delivery rounds for the devices connected here that have queued messages in the store. */
    void sweep() {
        try {
            Set<String> waiting = queue.devicesWithQueued();
            if (waiting.isEmpty()) {
                return;
            }
            DialectServer s = server;
            if (s == null) {
                return;
            }
            for (ConnectedClient c : s.clients()) {
                String device = c.identity().deviceId();
                if (waiting.contains(device) && subscribed(c)) {
                    kick(device);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("c2d-sweep-failed error=\"{}\"", e.getMessage());
        }
    }

    private boolean subscribedHere(String deviceId) {
        DialectServer s = server;
        return s != null && s.clients().stream()
                .anyMatch(c -> c.identity().name().equals(deviceId) && subscribed(c));
    }

    private static boolean subscribed(ConnectedClient c) {
        if (c.identity().isModule()) {
            return false;
        }
        String prefix = deviceboundPrefix(c.identity().deviceId());
        return c.subscriptions().stream().anyMatch(f -> f.startsWith(prefix));
    }

    /** Starts a delivery round for the device, or asks the running one for another pass. */
    void kick(String deviceId) {
        synchronized (rounds) {
            if (rounds.containsKey(deviceId)) {
                rounds.put(deviceId, Boolean.TRUE);
                return;
            }
            rounds.put(deviceId, Boolean.FALSE);
        }
        schedule(deviceId, () -> round(deviceId));
    }

    private void round(String deviceId) {
        List<C2dEntry> batch;
        try {
            batch = queue.next(deviceId, BATCH);
        } catch (RuntimeException e) {
            LOG.warn("c2d-read-failed device={} error=\"{}\"", deviceId, e.getMessage());
            finish(deviceId, false);
            return;
        }
        send(deviceId, batch, 0);
    }

    /** Sends batch[i] and, after its PUBACK, the next; a failure ends the round (the rest stays queued). */
    private void send(String deviceId, List<C2dEntry> batch, int i) {
        if (i == batch.size()) {
            finish(deviceId, batch.size() == BATCH);
            return;
        }
        C2dEntry entry = batch.get(i);
        DialectServer s = server;
        if (s == null || !subscribedHere(deviceId)) {
            finish(deviceId, false);
            return;
        }
        if (!entry.expiresAt().isAfter(clock.now())) {
            send(deviceId, batch, i + 1);
            return;
        }
        try {
            if (!queue.attempted(entry.seq())) {
                send(deviceId, batch, i + 1);
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("c2d-attempt-not-stored device={} messageId={} error=\"{}\"", deviceId,
                    entry.message().messageId(), e.getMessage());
            finish(deviceId, false);
            return;
        }
        s.deliverC2D(deviceId, iotMessage(entry)).whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                LOG.debug("c2d-not-delivered device={} messageId={} reason=\"{}\"", deviceId,
                        entry.message().messageId(), cause.getMessage());
                finish(deviceId, false);
                return;
            }
            schedule(deviceId, () -> {
                try {
                    queue.delivered(entry.seq());
                    LOG.debug("c2d-delivered device={} messageId={} seq={}", deviceId, entry.message().messageId(),
                            entry.seq());
                    CompletableFuture<C2dState> waiter = waiters.remove(entry.seq());
                    if (waiter != null) {
                        waiter.complete(C2dState.DELIVERED);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("c2d-delivery-not-stored device={} messageId={} error=\"{}\"", deviceId,
                            entry.message().messageId(), e.getMessage());
                    finish(deviceId, false);
                    return;
                }
                send(deviceId, batch, i + 1);
            });
        });
    }

    /** Ends a round; starts another when one was asked for meanwhile or {@code more} may wait. */
    private void finish(String deviceId, boolean more) {
        synchronized (rounds) {
            Boolean again = rounds.get(deviceId);
            if (!more && !Boolean.TRUE.equals(again)) {
                rounds.remove(deviceId);
                return;
            }
            rounds.put(deviceId, Boolean.FALSE);
        }
        schedule(deviceId, () -> round(deviceId));
    }

    private void schedule(String deviceId, Runnable work) {
        try {
            db.execute(work);
        } catch (RejectedExecutionException e) {
            synchronized (rounds) {
                rounds.remove(deviceId);
            }
        }
    }

    /** The message as IoT Hub sends it: {@code $.mid}, {@code $.to}, {@code $.exp}, {@code $.cid}, ... */
    static IotMessage iotMessage(C2dEntry entry) {
        CloudToDeviceMessage m = entry.message();
        Map<String, String> system = new HashMap<>();
        system.put(IotMessage.MESSAGE_ID, m.messageId());
        system.put(IotMessage.TO, "/devices/" + entry.deviceId() + "/messages/deviceBound");
        system.put(IotMessage.ABSOLUTE_EXPIRY_TIME, entry.expiresAt().toString());
        putIfSet(system, IotMessage.CORRELATION_ID, m.correlationId());
        putIfSet(system, IotMessage.CONTENT_TYPE, m.contentType());
        putIfSet(system, IotMessage.CONTENT_ENCODING, m.contentEncoding());
        return new IotMessage(system, m.properties(), m.body());
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (!value.isEmpty()) {
            map.put(key, value);
        }
    }
}
