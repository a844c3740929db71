package io.outpost.iothub;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A client the host let in.
 *
 * @param identity  who it is
 * @param expiresAt when its credential expires (a SAS token's {@code se}); the server closes the connection
 *                  then, as IoT Hub does. Empty: no expiry (a client certificate is checked at connect only)
 */
public record Authenticated(ClientIdentity identity, Optional<Instant> expiresAt) {

    public Authenticated {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
