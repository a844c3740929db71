package io.outpost.hub.camel.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The endpoints of the tests: records what each endpoint received (the {@code label} property of each
 * message, in order) and fails on purpose where a test asks it to: an endpoint that is down (always
 * retryable), a number of transient failures, or a label the endpoint rejects as invalid.
 */
final class TestEndpoint implements EndpointSender {

    private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();
    private final Map<String, List<String>> attempts = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Set<String> poison = ConcurrentHashMap.newKeySet();
    private final AtomicInteger transientFailures = new AtomicInteger();
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    private boolean holding;
    private int maxHeld;

    static String label(StoredMessage m) {
        return m.properties().get("label");
    }

    @Override
    public void send(String endpoint, StoredMessage message) {
        String label = label(message);
        attempts.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>()).add(label);
        if (down.contains(endpoint)) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, endpoint + " is down");
        }
        if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "temporarily unavailable");
        }
        if (poison.contains(label)) {
            throw new IllegalArgumentException("cannot decode " + label);
        }
        delivered.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>()).add(label);
    }

    /**
     * Without blocking, as the hub's module inputs do: while acknowledgements are held ({@link #holdAcks}) a send
     * waits, in flight, until {@link #releaseAcks}; otherwise it completes at once.
     */
    @Override
    public synchronized CompletionStage<Void> sendAsync(String endpoint, StoredMessage message) {
        if (!holding) {
            return EndpointSender.super.sendAsync(endpoint, message);
        }
        attempts.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>()).add(label(message));
        CompletableFuture<Void> ack = new CompletableFuture<>();
        held.add(ack);
        maxHeld = Math.max(maxHeld, held.size());
        return ack.thenRun(() -> delivered.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>())
                .add(label(message)));
    }

    synchronized void holdAcks() {
        holding = true;
    }

    /** Acknowledges the held sends, in the order they came, and stops holding. */
    void releaseAcks() {
        List<CompletableFuture<Void>> acks;
        synchronized (this) {
            holding = false;
            acks = List.copyOf(held);
            held.clear();
        }
        acks.forEach(a -> a.complete(null));
    }

    /** Sends held at once, at most, since {@link #holdAcks}. */
    synchronized int maxHeld() {
        return maxHeld;
    }

    synchronized int held() {
        return held.size();
    }

    void down(String endpoint) {
        down.add(endpoint);
    }

    void failNext(int times) {
        transientFailures.set(times);
    }

    void poison(String label) {
        poison.add(label);
    }

    List<String> delivered(String endpoint) {
        return List.copyOf(delivered.getOrDefault(endpoint, List.of()));
    }

    List<String> attempts(String endpoint) {
        return List.copyOf(attempts.getOrDefault(endpoint, List.of()));
    }
}
