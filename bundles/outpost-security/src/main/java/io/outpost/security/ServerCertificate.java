package io.outpost.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The hub's TLS certificate: its chain (server first, then the CA) and private key in PEM, validity and the
 * host names and addresses it names. {@link #toString()} never shows the key.
 */
public record ServerCertificate(String chainPem, String privateKeyPem, Instant notBefore, Instant notAfter,
        List<String> hostnames) {

    public ServerCertificate {
        Objects.requireNonNull(chainPem, "chainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        hostnames = List.copyOf(hostnames);
    }

    @Override
    public String toString() {
        return "ServerCertificate[hostnames=" + hostnames + ", notAfter=" + notAfter + "]";
    }
}
