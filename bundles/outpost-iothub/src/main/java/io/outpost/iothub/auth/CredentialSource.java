package io.outpost.iothub.auth;

import io.outpost.iothub.ClientIdentity;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the authenticator finds registered identities: the edge's identity store, the cloud's device registry. May
 * block (a database read): the host calls the authenticator where blocking is allowed.
 */
@ConsumerType
public interface CredentialSource {

    /** The identity's registration, or empty when it has none. */
    Optional<Principal> find(ClientIdentity identity);
}
