package io.outpost.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The hub's durable store-and-forward queues, one per endpoint (a module input or {@code $upstream}).
 *
 * <h2>Producing</h2>
 * {@link #enqueue} returns only once the message is durable on disk, so a sender may be acknowledged as soon
 * as it returns. {@link #enqueueAll} does the same without blocking: many calls share one durable write (group
 * commit), and calls with the same order key are stored in the order they were made. The TTL is fixed then. When the endpoint's byte quota is reached the configured
 * {@link FullPolicy} applies.
 *
 * <h2>Consuming (at-least-once)</h2>
 * Each endpoint has one consumer (its pump). {@link #poll} hands it the next messages, highest priority
 * first and first-in first-out within a priority; expired messages are never handed out. Every message
 * handed out stays in the store until the consumer settles it: {@link #ack} removes it, {@link #setInvalid}
 * moves it to the endpoint's dead letters, {@link #release} puts every unsettled message back in its queue,
 * in its original place, to be handed out again. Messages unsettled when the store stops (or the process
 * dies) are handed out again after a restart, so an endpoint may see a message twice but never loses one.
 * Calls for one endpoint are serialized; calls for different endpoints run in parallel.
 */
public interface MessageStore {

    /**
     * Stores a message for an endpoint and returns its id once it is durable.
     *
     * @param priority 0 (highest) to 9 (lowest)
     * @param ttl      positive; the message expires {@code ttl} after now and is never delivered from then on
     * @throws io.outpost.common.OutpostException {@link HubErrorCode#STORE_FULL} when the quota refuses it (nothing
     *         already accepted is lost), {@link HubErrorCode#STORE_UNAVAILABLE} when it could not be persisted
     * @throws IllegalArgumentException for an empty endpoint, a priority outside 0..9 or a TTL that is not positive
     */
    String enqueue(String endpoint, Message message, int priority, Duration ttl);

    /** Stores a message with the store's default TTL (Azure's global {@code timeToLiveSecs}). */
    String enqueue(String endpoint, Message message, int priority);

    /** Where {@link #enqueueAll} puts a message: an endpoint, a priority and a TTL ({@code null}: the default). */
    record Placement(String endpoint, int priority, Duration ttl) {
    }

    /**
     * Stores one message in several endpoint queues and completes, with the ids in the order of the placements,
     * once it is durable in all of them. It does not block: the store groups the writes of concurrent calls into
     * one durable write. Calls with the same {@code orderKey} (a sender's identity, say) are written in the order
     * they were made, so each endpoint queue keeps one sender's order. A quota that refuses the message fails the
     * result with {@link HubErrorCode#STORE_FULL}, a write that fails with {@link HubErrorCode#STORE_UNAVAILABLE};
     * nothing already accepted is lost either way.
     *
     * <p>This default writes each placement with {@link #enqueue}, one after another, before it returns.
     */
    default CompletionStage<List<String>> enqueueAll(List<Placement> placements, Message message, String orderKey) {
        try {
            List<String> ids = new ArrayList<>(placements.size());
            for (Placement p : placements) {
                ids.add(p.ttl() == null ? enqueue(p.endpoint(), message, p.priority())
                        : enqueue(p.endpoint(), message, p.priority(), p.ttl()));
            }
            return CompletableFuture.completedFuture(ids);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The next messages for an endpoint, at most {@code maxBatch}, in delivery order. Returns as soon as at
     * least one message is available, or an empty list once {@code timeout} passed without any.
     */
    List<StoredMessage> poll(String endpoint, int maxBatch, Duration timeout) throws InterruptedException;

    /**
     * Ends the endpoint's waiting {@link #poll} now, with what it has (possibly nothing), so that its consumer can
     * turn to something else, such as an acknowledgement that just came in; a wake-up while no poll waits ends the
     * next one at once. A store that cannot tell does nothing: its polls end at their timeout.
     */
    default void wakeUp(String endpoint) {
    }

    /**
     * Waits until the endpoint is woken up ({@link #wakeUp}) after this call began, or the timeout passes: a consumer
     * backing off after a failed delivery waits here, so that an endpoint that became reachable again (a module that
     * subscribed to its inputs) is served at once. A store that cannot tell waits the timeout.
     */
    default void awaitWakeUp(String endpoint, Duration timeout) throws InterruptedException {
        Thread.sleep(timeout.toMillis());
    }

    /** Removes handed-out messages that the endpoint accepted. Ids not handed out (or already settled) are ignored. */
    void ack(String endpoint, Collection<String> ids);

    /** Puts every handed-out, unsettled message of the endpoint back in its queue, in its original order. */
    void release(String endpoint);

    /** Moves handed-out messages the endpoint rejected as invalid to its dead letters, with the reason. */
    void setInvalid(String endpoint, Collection<String> ids, String reason);

    /** The endpoint's dead letters, oldest first, at most {@code max}. */
    List<DeadLetter> deadLetters(String endpoint, int max);

    /** The endpoint's queue statistics; an endpoint never used has an empty queue. */
    QueueStats stats(String endpoint);

    /** The endpoints that have a queue. */
    Set<String> endpoints();
}
