package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.RouteResult;
import io.outpost.hub.RouterStats;
import io.outpost.iothub.IotHubProperties;
import io.outpost.routing.MessageSource;
import io.outpost.routing.RouteMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageRouter} on a {@link MessageStore}. {@link #route} reads the current {@link RouteTable}
 * from an {@link AtomicReference} and takes no lock; changes build a new table and swap it in under a lock
 * that only writers take. Endpoint queues live in the store and are untouched by a swap, so a replacement
 * never loses or duplicates a queued message.
 */
public final class Router implements MessageRouter {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final MessageStore store;
    private final AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.empty());
    private final Object writeLock = new Object();
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong unrouted = new AtomicLong();

    public Router(MessageStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public RouteResult route(IncomingMessage incoming) {
        return Futures.join(routeAsync(incoming));
    }

    /**
     * Evaluates the routes on the calling thread and hands the message to the store for every endpoint matched,
     * as one write ordered by the sender ({@link MessageStore#enqueueAll}).
     */
    @Override
    public CompletionStage<RouteResult> routeAsync(IncomingMessage incoming) {
        Message message = withSender(incoming);
        RouteMessage view = new RouteMessage(sourceOf(incoming), message.systemProperties(), message.properties(),
                message.body());
        Map<String, RouteTable.Target> targets = table.get().targets(view);
        if (targets.isEmpty()) {
            unrouted.incrementAndGet();
            LOG.debug("message-unrouted reason=no_route origin={} id={}", incoming.origin(), incoming.id());
            return CompletableFuture.completedFuture(new RouteResult(List.of()));
        }
        List<MessageStore.Placement> placements = new ArrayList<>(targets.size());
        for (Map.Entry<String, RouteTable.Target> t : targets.entrySet()) {
            placements.add(new MessageStore.Placement(t.getKey(), t.getValue().priority(), t.getValue().ttl()));
        }
        return store.enqueueAll(placements, message, incoming.origin() + "/" + incoming.id()).thenApply(ids -> {
            List<RouteResult.Enqueued> done = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                MessageStore.Placement p = placements.get(i);
                done.add(new RouteResult.Enqueued(p.endpoint(), ids.get(i), p.priority(), p.ttl()));
            }
            routed.incrementAndGet();
            return new RouteResult(done);
        });
    }

    /** The message with the sender's identity in its system properties, as the route language reads it. */
    private static Message withSender(IncomingMessage in) {
        Map<String, String> sys = new HashMap<>(in.message().systemProperties());
        switch (in.origin()) {
            case MODULE -> {
                sys.put(IotHubProperties.CONNECTION_MODULE_ID, in.id());
                if (in.output() != null) {
                    sys.put(IotHubProperties.OUTPUT_NAME, in.output());
                }
            }
            case DEVICE -> sys.put(IotHubProperties.CONNECTION_DEVICE_ID, in.id());
            case TWIN_CHANGE -> { }
        }
        Message m = in.message();
        return sys.equals(m.systemProperties()) ? m : new Message(sys, m.properties(), m.body());
    }

    private static MessageSource sourceOf(IncomingMessage in) {
        return switch (in.origin()) {
            case MODULE -> MessageSource.module(in.id(), in.output());
            case DEVICE -> MessageSource.device(in.id());
            case TWIN_CHANGE -> MessageSource.twinChange(in.id());
        };
    }

    /**
     * Replaces every route (those added from the shell too) and the global TTL, all at once: if one route does
     * not compile, nothing changes.
     *
     * @throws OutpostException {@link HubErrorCode#INVALID_ROUTE} naming the route and column
     */
    public void replaceAll(Collection<RouteDefinition> routes, Optional<Duration> globalTtl) {
        RouteTable next = RouteTable.of(routes, globalTtl);
        swap(current -> next);
        LOG.info("routes-replaced routes={} globalTtlSecs={}", routes.size(),
                globalTtl.map(Duration::toSeconds).orElse(null));
    }

    @Override
    public void putRoute(RouteDefinition route) {
        swap(current -> current.with(route));
        LOG.info("route-set name={} origin={} priority={} ttlSecs={}", route.name(), route.origin(),
                route.priority(), route.ttlSecs());
    }

    @Override
    public void removeRoute(String name) {
        swap(current -> current.without(name).orElseThrow(() -> new OutpostException(HubErrorCode.UNKNOWN_ROUTE,
                "no route named " + name)));
        LOG.info("route-removed name={}", name);
    }

    private void swap(java.util.function.UnaryOperator<RouteTable> change) {
        Set<String> before;
        Set<String> after;
        synchronized (writeLock) {
            RouteTable current = table.get();
            RouteTable next = change.apply(current);
            table.set(next);
            before = current.endpoints();
            after = next.endpoints();
        }
        if (!before.equals(after)) {
            listeners.forEach(l -> tell(l, after));
        }
    }

    @Override
    public List<RouteDefinition> routes() {
        return table.get().routes();
    }

    @Override
    public Set<String> endpoints() {
        return table.get().endpoints();
    }

    @Override
    public RouterStats stats() {
        return new RouterStats(routed.get(), unrouted.get());
    }

    @Override
    public AutoCloseable subscribe(Consumer<Set<String>> listener) {
        listeners.add(listener);
        tell(listener, endpoints());
        return () -> listeners.remove(listener);
    }

    private static void tell(Consumer<Set<String>> listener, Set<String> endpoints) {
        try {
            listener.accept(endpoints);
        } catch (RuntimeException e) {
            LOG.warn("endpoint-listener-failed endpoints={}", endpoints, e);
        }
    }
}
