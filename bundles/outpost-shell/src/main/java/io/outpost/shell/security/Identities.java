package io.outpost.shell.security;

import io.outpost.security.Identity;

/** How the security commands show an identity. */
final class Identities {

    private Identities() {
    }

    static String auth(Identity identity) {
        return switch (identity.auth()) {
            case SAS -> "sas";
            case X509_THUMBPRINT -> "x509 " + identity.thumbprint().orElse("");
            case X509_CA -> "x509-ca";
        };
    }
}
