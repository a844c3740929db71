package io.outpost.cloud.store.internal.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Objects;

/** What a target condition sees of a device twin: its id, tags and reported properties. */
public record TwinView(String deviceId, JsonNode tags, JsonNode reported) {

    public TwinView {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(reported, "reported");
    }

    JsonNode deviceIdNode() {
        return TextNode.valueOf(deviceId);
    }
}
