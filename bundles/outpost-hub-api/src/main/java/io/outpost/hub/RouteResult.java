package io.outpost.hub;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the router did with one message: the endpoint queues it was durably stored in, one entry per
 * endpoint. An empty list means no route matched (counted with reason {@code no_route}).
 */
public record RouteResult(List<Enqueued> enqueued) {

    /**
     * The message stored once for an endpoint.
     *
     * @param ttl the TTL it was stored with; {@code null} when the store's default TTL applied
     */
    public record Enqueued(String endpoint, String messageId, int priority, Duration ttl) {
        public Enqueued {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(messageId, "messageId");
            Priorities.check(priority);
        }
    }

    public RouteResult {
        enqueued = List.copyOf(enqueued);
    }

    /** Whether at least one route matched. */
    public boolean routed() {
        return !enqueued.isEmpty();
    }
}
