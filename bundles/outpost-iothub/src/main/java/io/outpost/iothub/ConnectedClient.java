package io.outpost.iothub;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A connection the server serves now.
 *
 * @param identity       who it is
 * @param protocol       {@code MQTT 3.1.1} or {@code MQTT 5}
 * @param tls            whether it came over TLS
 * @param remoteAddress  {@code ip:port} of the peer
 * @param connectedSince when its CONNECT was accepted
 * @param expiresAt      when its credential expires and the server closes it, if it does
 * @param subscriptions  the topic filters it holds
 */
public record ConnectedClient(ClientIdentity identity, String protocol, boolean tls, String remoteAddress,
        Instant connectedSince, Optional<Instant> expiresAt, Set<String> subscriptions) {

    public ConnectedClient {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(connectedSince, "connectedSince");
        Objects.requireNonNull(expiresAt, "expiresAt");
        subscriptions = Set.copyOf(subscriptions);
    }
}
