package io.outpost.cloud.store.internal.condition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A property of a device twin: {@code deviceId}, {@code tags.<path>} or {@code properties.reported.<path>}.
 *
 * @param root where the path starts
 * @param segments the property names below the root
 * @param text the path as written, for messages
 */
record PropertyPath(Root root, List<String> segments, String text) {

    enum Root { DEVICE_ID, TAGS, REPORTED }

    PropertyPath {
        segments = List.copyOf(segments);
    }

    /** The value in the twin, or {@code null} when the path is not defined there. */
    JsonNode resolve(TwinView twin) {
        JsonNode node = switch (root) {
            case DEVICE_ID -> twin.deviceIdNode();
            case TAGS -> twin.tags();
            case REPORTED -> twin.reported();
        };
        for (String segment : segments) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
