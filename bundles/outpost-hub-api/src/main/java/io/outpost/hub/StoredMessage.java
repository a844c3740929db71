package io.outpost.hub;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message held in an endpoint's queue, as the consumer of that endpoint receives it.
 *
 * @param id          the store's id of this message in this endpoint's queue; the consumer acknowledges with it
 * @param endpoint    the endpoint whose queue holds the message
 * @param priority    0 (highest) to 9 (lowest), Azure's convention
 * @param enqueuedAt  when the store accepted the message (the store's clock, millisecond precision)
 * @param expiresAt   when the message expires; fixed at enqueue, never delivered from then on
 */
public record StoredMessage(String id, String endpoint, int priority, Instant enqueuedAt, Instant expiresAt,
                            Map<String, String> systemProperties, Map<String, String> properties, byte[] body) {

    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpoint, "endpoint");
        Priorities.check(priority);
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        systemProperties = Map.copyOf(Objects.requireNonNull(systemProperties, "systemProperties"));
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** The content as it was enqueued. */
    public Message message() {
        return new Message(systemProperties, properties, body);
    }

    /** A copy of the body (the record keeps its own). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The size counted by the quota and the statistics; see {@link Message#sizeBytes()}. */
    public long sizeBytes() {
        return body.length + MessageSizes.of(systemProperties) + MessageSizes.of(properties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredMessage m && id.equals(m.id) && endpoint.equals(m.endpoint)
                && priority == m.priority && enqueuedAt.equals(m.enqueuedAt) && expiresAt.equals(m.expiresAt)
                && systemProperties.equals(m.systemProperties) && properties.equals(m.properties)
                && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, endpoint, priority, enqueuedAt, expiresAt, systemProperties, properties,
                Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "StoredMessage[id=" + id + ", endpoint=" + endpoint + ", priority=" + priority + ", enqueuedAt="
                + enqueuedAt + ", expiresAt=" + expiresAt + ", body=" + body.length + " bytes]";
    }
}
