package io.outpost.iothub.auth;

import io.outpost.iothub.ClientIdentity;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered identity as the authenticator sees it.
 *
 * @param identity the device or module
 * @param enabled  whether it may connect; a module is disabled with its device
 * @param own      its own credentials, in the order they are tried
 * @param parentId the device's parent (an edge device that speaks for it), for a child device
 */
public record Principal(ClientIdentity identity, boolean enabled, List<Credential> own, Optional<String> parentId) {

    public Principal {
        Objects.requireNonNull(identity, "identity");
        own = List.copyOf(own);
        Objects.requireNonNull(parentId, "parentId");
    }

    /** An enabled identity with its own credentials and no parent. */
    public static Principal of(ClientIdentity identity, Credential... own) {
        return new Principal(identity, true, List.of(own), Optional.empty());
    }
}
