package io.outpost.hub.internal;

import java.util.function.Consumer;

/**
 * The twins as the MQTT listener serves them to clients (an internal service, published by {@link TwinsComponent}
 * over its {@link EdgeTwins}): a client's twin GET and its reported-properties PATCH.
 */
interface TwinStore {

    /** The identity's twin as IoT Hub's twin GET answers it. */
    String get(String identity);

    /**
     * Applies a reported-properties merge patch and returns the new reported version; {@code accepted} sees the
     * change before it is saved and may refuse it by throwing.
     */
    long patchReported(String identity, String patchJson, Consumer<EdgeTwins.ReportedChange> accepted);
}
