package io.outpost.hub;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One connection to the hub.
 *
 * @param identity       {@code <device>} or {@code <device>/<module>}
 * @param protocol       e.g. {@code MQTT 3.1.1}, {@code MQTT 5}
 * @param tls            whether it came over TLS
 * @param remoteAddress  {@code ip:port} of the peer
 * @param connectedSince when it was accepted
 * @param expiresAt      when its credential expires and the hub closes it, if it does
 * @param subscriptions  the topic filters it subscribed to
 */
public record ClientConnection(String identity, String protocol, boolean tls, String remoteAddress,
        Instant connectedSince, Optional<Instant> expiresAt, Set<String> subscriptions) {

    public ClientConnection {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(connectedSince, "connectedSince");
        Objects.requireNonNull(expiresAt, "expiresAt");
        subscriptions = Set.copyOf(subscriptions);
    }
}
