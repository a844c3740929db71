package io.outpost.iothub;

import io.outpost.pki.CertificateChecks;
import io.outpost.pki.Thumbprints;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Checks a host makes on a client's certificate chain ({@link ConnectRequest#peerCertificates()}), as the PKI
 * library makes them (the one place for thumbprints and chain checks, shared by the edge and the cloud).
 *
 * @deprecated use {@link Thumbprints} and {@link CertificateChecks} of {@code io.outpost.pki}
 */
@Deprecated
public final class ClientCertificates {

    private ClientCertificates() {
    }

    /**
     * The SHA-256 thumbprint of a certificate's DER encoding, upper-case hex (compare case-insensitively).
     *
     * @deprecated {@link Thumbprints#sha256}
     */
    @Deprecated
    public static String sha256Thumbprint(X509Certificate certificate) {
        return Thumbprints.sha256(certificate);
    }

    /**
     * Whether the chain (leaf first) validates up to one of the trusted CA certificates at {@code now}
     * (signatures, validity periods, CA constraints; no revocation check).
     *
     * @deprecated {@link CertificateChecks#chainsTo}
     */
    @Deprecated
    public static boolean chainsTo(List<X509Certificate> chain, Collection<X509Certificate> trustedCas, Instant now) {
        return CertificateChecks.chainsTo(chain, trustedCas, now);
    }

    /**
     * The subject common name (CN) of a certificate; empty when it has none.
     *
     * @deprecated {@link CertificateChecks#commonName}
     */
    @Deprecated
    public static String commonName(X509Certificate certificate) {
        return CertificateChecks.commonName(certificate);
    }
}
