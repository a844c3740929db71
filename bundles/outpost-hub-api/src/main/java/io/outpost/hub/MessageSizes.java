package io.outpost.hub;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How property maps count towards a message's size. */
final class MessageSizes {

    private MessageSizes() {
    }

    static long of(Map<String, String> properties) {
        long size = 0;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length;
            size += e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }
}
