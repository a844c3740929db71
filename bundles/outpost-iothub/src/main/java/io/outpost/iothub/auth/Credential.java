package io.outpost.iothub.auth;

import java.util.Objects;

/** A credential registered for an identity. */
public sealed interface Credential {

    /**
     * A symmetric key that signs SAS tokens.
     *
     * @param base64 the key, base64; never logged
     */
    record SymmetricKey(String base64) implements Credential {
        public SymmetricKey {
            Objects.requireNonNull(base64, "base64");
            if (base64.isBlank()) {
                throw new IllegalArgumentException("base64 must not be blank");
            }
        }

        @Override
        public String toString() {
            return "SymmetricKey[***]";
        }
    }

    /**
     * The SHA-1 or SHA-256 thumbprint of a client certificate, hex in either case.
     *
     * @param hex the thumbprint
     */
    record Thumbprint(String hex) implements Credential {
        public Thumbprint {
            Objects.requireNonNull(hex, "hex");
            if (hex.isBlank()) {
                throw new IllegalArgumentException("hex must not be blank");
            }
        }
    }

    /** A client certificate issued by a trusted CA ({@link AuthPolicy#trustedCas()}) whose CN is the device id. */
    record CaIssued() implements Credential {
    }
}
