package io.outpost.cloud;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A cloud-to-device message as a sender gives it. Empty strings stand for "none".
 *
 * @param messageId       its id ({@code $.mid}); empty: the cloud generates one when it queues the message
 * @param correlationId   {@code $.cid}; empty for none
 * @param contentType     {@code $.ct}; empty for none
 * @param contentEncoding {@code $.ce}; empty for none
 * @param ttl             how long it may wait in the device's queue; {@link Duration#ZERO}: the cloud's default
 * @param properties      application properties
 * @param body            the payload
 */
public record CloudToDeviceMessage(String messageId, String correlationId, String contentType,
        String contentEncoding, Duration ttl, Map<String, String> properties, byte[] body) {

    public CloudToDeviceMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(contentEncoding, "contentEncoding");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** A message with an id (empty: generated), application properties and a body; the default time to live. */
    public CloudToDeviceMessage(String messageId, Map<String, String> properties, byte[] body) {
        this(messageId, "", "", "", Duration.ZERO, properties, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudToDeviceMessage m && messageId.equals(m.messageId)
                && correlationId.equals(m.correlationId) && contentType.equals(m.contentType)
                && contentEncoding.equals(m.contentEncoding) && ttl.equals(m.ttl)
                && properties.equals(m.properties) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, correlationId, contentType, contentEncoding, ttl, properties) * 31
                + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "CloudToDeviceMessage[messageId=" + messageId + ", correlationId=" + correlationId + ", contentType="
                + contentType + ", contentEncoding=" + contentEncoding + ", ttl=" + ttl + ", properties=" + properties
                + ", body=" + body.length + " bytes]";
    }
}
