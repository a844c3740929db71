package io.outpost.iothub;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks a host makes on a client's certificate chain ({@link ConnectRequest#peerCertificates()}). */
public final class ClientCertificates {

    private ClientCertificates() {
    }

    /** The SHA-256 thumbprint of a certificate's DER encoding, upper-case hex (compare case-insensitively). */
    public static String sha256Thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the chain (leaf first) validates up to one of the trusted CA certificates at {@code now}
     * (signatures, validity periods, CA constraints; no revocation check).
     */
    public static boolean chainsTo(List<X509Certificate> chain, Collection<X509Certificate> trustedCas, Instant now) {
        if (chain.isEmpty() || trustedCas.isEmpty()) {
            return false;
        }
        try {
            Set<TrustAnchor> anchors = trustedCas.stream().map(c -> new TrustAnchor(c, null))
                    .collect(Collectors.toSet());
            // the path excludes any copy of a trust anchor the client sent along
            List<X509Certificate> path = chain.stream().filter(c -> !trustedCas.contains(c)).toList();
            if (path.isEmpty()) {
                return false;
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The subject common name (CN) of a certificate; empty when it has none. */
    public static String commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            String p = part.trim();
            if (p.toUpperCase(Locale.ROOT).startsWith("CN=")) {
                return p.substring(3);
            }
        }
        return "";
    }
}
