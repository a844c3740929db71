package io.outpost.iothub.testing;

import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.auth.CredentialSource;
import io.outpost.iothub.auth.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link CredentialSource} over a map, for tests of the authenticator's rules on their own. */
public final class MapCredentialSource implements CredentialSource {

    private final Map<ClientIdentity, Principal> principals = new ConcurrentHashMap<>();

    /** Registers (or replaces) a principal. */
    public MapCredentialSource put(Principal principal) {
        principals.put(principal.identity(), principal);
        return this;
    }

    @Override
    public Optional<Principal> find(ClientIdentity identity) {
        return Optional.ofNullable(principals.get(identity));
    }
}
