package io.outpost.cloud.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.TwinSection;
import io.outpost.common.OutpostException;
import java.nio.charset.StandardCharsets;

/**
 * IoT Hub's limits on a twin's property sections, checked on the section as a change would leave it: at most
 * {@value #MAX_SECTION_BYTES} bytes of UTF-8 JSON each for desired and reported properties (the edge caps its
 * sections the same way), and objects or arrays nested at most {@value #MAX_DEPTH} levels below the section.
 */
final class TwinLimits {

    static final int MAX_SECTION_BYTES = 32 * 1024;
    static final int MAX_DEPTH = 10;

    private TwinLimits() {
    }

    /**
     * Refuses a section over the limits.
     *
     * @throws OutpostException {@link CloudErrorCode#TWIN_TOO_LARGE} naming the section and the limit
     */
    static void check(TwinSection section, JsonNode value, String json) {
        if (section == TwinSection.TAGS) {
            return;
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SECTION_BYTES) {
            throw new OutpostException(CloudErrorCode.TWIN_TOO_LARGE, section.path() + " would be " + bytes
                    + " bytes, more than the limit of " + MAX_SECTION_BYTES + " bytes (32 KiB): the change is refused");
        }
        int depth = depth(value);
        if (depth > MAX_DEPTH) {
            throw new OutpostException(CloudErrorCode.TWIN_TOO_LARGE, section.path() + " would be nested " + depth
                    + " levels deep, more than the limit of " + MAX_DEPTH + " levels: the change is refused");
        }
    }

    /** How many objects or arrays deep the members of {@code section} go: 0 when every member is a plain value. */
    static int depth(JsonNode section) {
        int deepest = 0;
        for (JsonNode member : section) {
            if (member.isContainerNode()) {
                deepest = Math.max(deepest, 1 + depth(member));
            }
        }
        return deepest;
    }
}
