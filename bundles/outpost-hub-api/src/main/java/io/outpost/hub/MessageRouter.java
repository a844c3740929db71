package io.outpost.hub;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hub's router: matches each incoming message against the compiled routes and stores it once in the
 * durable queue of every endpoint a matching route leads to, with the best (lowest) priority among the routes
 * that lead there and that route's TTL (else the global TTL).
 *
 * <p>Routes are replaced copy-on-write: {@link #route} takes no lock and sees either the old or the new table,
 * and endpoint queues are never touched by a replacement. Routes come from the running deployment's
 * {@code $edgeHub} section; {@link #putRoute}/{@link #removeRoute} change them at runtime until the next
 * deployment replaces them all.
 */
@ProviderType
public interface MessageRouter {

    /**
     * Routes a message and returns once it is durable in every endpoint queue it matched.
     *
     * @throws io.outpost.common.OutpostException from the store ({@link HubErrorCode#STORE_FULL},
     *     {@link HubErrorCode#STORE_UNAVAILABLE}) when an endpoint could not take it; endpoints listed in the
     *     message may already hold it, so a sender that retries can cause duplicates there (at-least-once)
     */
    RouteResult route(IncomingMessage message);

    /**
     * Routes a message without blocking: the routes are evaluated on the calling thread, and the result completes
     * once the message is durable in every endpoint queue it matched (the store groups concurrent writes into one
     * durable write). Messages of one sender are stored in the order of the calls. Fails as {@link #route} throws.
     */
    default CompletionStage<RouteResult> routeAsync(IncomingMessage message) {
        try {
            return CompletableFuture.completedFuture(route(message));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The routes in effect, by name. */
    List<RouteDefinition> routes();

    /**
     * Adds a route, or replaces the route of the same name.
     *
     * @throws io.outpost.common.OutpostException {@link HubErrorCode#INVALID_ROUTE} naming the column when the
     *     text does not compile; the routes in effect are unchanged then
     */
    void putRoute(RouteDefinition route);

    /**
     * Removes a route.
     *
     * @throws io.outpost.common.OutpostException {@link HubErrorCode#UNKNOWN_ROUTE} when there is none of that name
     */
    void removeRoute(String name);

    /** The endpoints the routes in effect lead to. */
    Set<String> endpoints();

    /** The router's counters. */
    RouterStats stats();

    /**
     * Calls {@code listener} with the current endpoints now and again after every change of them, on the thread
     * that changed the routes; the listener must return quickly.
     *
     * @return closing it unsubscribes
     */
    AutoCloseable subscribe(Consumer<Set<String>> listener);
}
