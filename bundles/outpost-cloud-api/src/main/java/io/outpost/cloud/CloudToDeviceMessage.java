package io.outpost.cloud;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A cloud-to-device message.
 *
 * @param messageId its id ({@code $.mid}); empty for none
 * @param properties application properties
 * @param body the payload
 */
public record CloudToDeviceMessage(String messageId, Map<String, String> properties, byte[] body) {

    public CloudToDeviceMessage {
        Objects.requireNonNull(messageId, "messageId");
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        body = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudToDeviceMessage m && messageId.equals(m.messageId)
                && properties.equals(m.properties) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageId, properties) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "CloudToDeviceMessage[messageId=" + messageId + ", properties=" + properties + ", body="
                + body.length + " bytes]";
    }
}
