package io.outpost.hub.internal;

import java.util.Optional;

/** Checks the credentials of a client connecting to one of the hub's network listeners. */
interface ClientAuthenticator {

    /**
     * The identity the client proves, or empty when the connection is to be refused (the authenticator logs why,
     * never the password).
     */
    Optional<ClientIdentity> authenticate(String clientId, String username, String password, String remoteAddress);
}
