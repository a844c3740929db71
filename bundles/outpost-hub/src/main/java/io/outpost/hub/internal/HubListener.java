package io.outpost.hub.internal;

import io.outpost.iothub.DialectServer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The hub's MQTT listener as the bundle's own components reach it (an internal service, published by
 * {@link ListenerComponent}): the sender delivers module inputs through the live server, the twins component
 * pushes desired properties through it, and direct methods and cloud-to-device messages go out through it.
 */
interface HubListener {

    /** The running server; empty while there is none (no security services, or its port still taken). */
    Optional<DialectServer> server();

    /** How long a delivery to a module input waits for the module's PUBACK ({@code mqttDeliveryTimeoutSecs}). */
    Duration deliveryTimeout();

    /** A listener that is always {@code server} (tests, and parts made outside OSGi). */
    static HubListener of(DialectServer server, Duration deliveryTimeout) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        return new HubListener() {
            @Override
            public Optional<DialectServer> server() {
                return Optional.of(server);
            }

            @Override
            public Duration deliveryTimeout() {
                return deliveryTimeout;
            }
        };
    }
}
