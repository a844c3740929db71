package io.outpost.hub.internal;

import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.auth.Credential;
import io.outpost.iothub.auth.CredentialSource;
import io.outpost.iothub.auth.Principal;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import java.util.List;
import java.util.Optional;

/**
 * The edge's identities as the authenticator's credential source: a {@code SAS} identity's key, an
 * {@code X509_THUMBPRINT} identity's thumbprint, an {@code X509_CA} identity's CA-issued certificate. Edge
 * identities are always enabled and have no parent. An id the store rejects is an unknown identity.
 */
final class IdentityCredentials implements CredentialSource {

    private final IdentityService identities;

    IdentityCredentials(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public Optional<Principal> find(ClientIdentity identity) {
        Optional<Identity> found;
        try {
            found = identities.find(identity.deviceId(), identity.moduleId());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return found.map(id -> new Principal(identity, true, credentials(id), Optional.empty()));
    }

    private static List<Credential> credentials(Identity id) {
        return switch (id.auth()) {
            case SAS -> id.primaryKey().<List<Credential>>map(k -> List.of(new Credential.SymmetricKey(k)))
                    .orElse(List.of());
            case X509_THUMBPRINT -> id.thumbprint().<List<Credential>>map(t -> List.of(new Credential.Thumbprint(t)))
                    .orElse(List.of());
            case X509_CA -> List.of(new Credential.CaIssued());
        };
    }
}
