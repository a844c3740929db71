package io.outpost.security;

import io.outpost.pki.CertificateChecks;
import io.outpost.pki.Thumbprints;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The checks a hub makes on a leaf device's TLS client certificate, so that every place that authenticates leaf
 * devices applies the same rules: a registered thumbprint ({@link Identity#thumbprint()}) may be SHA-1 (40 hex
 * digits) or SHA-256 (64), as IoT Hub and {@link IdentityService#addDeviceWithThumbprint} accept both; and a leaf
 * certificate issued by a CA ({@link Identity.AuthType#X509_CA}) must name client authentication among its extended
 * key usages, so that a server or code-signing certificate from the same CA does not open a device session. The
 * rules are the PKI library's ({@link Thumbprints}, {@link CertificateChecks}), which the cloud applies too.
 */
public final class LeafCertificates {

    /** The extended key usage {@code id-kp-clientAuth} (RFC 5280). */
    public static final String CLIENT_AUTH = CertificateChecks.CLIENT_AUTH;

    private LeafCertificates() {
    }

    /**
     * Whether the certificate has the registered thumbprint: SHA-1 when it has 40 hex digits, SHA-256 when it has
     * 64, in either case; any other text matches no certificate ({@link Thumbprints#matches}).
     */
    public static boolean thumbprintMatches(X509Certificate certificate, String registered) {
        return Thumbprints.matches(certificate, registered);
    }

    /**
     * Why a CA-issued leaf certificate may not authenticate a client, or empty when it may: it must carry the
     * extended key usage extension with clientAuth ({@value #CLIENT_AUTH}); {@link CertificateChecks#clientAuthRefusal}.
     */
    public static Optional<String> clientAuthRefusal(X509Certificate certificate) {
        return CertificateChecks.clientAuthRefusal(certificate);
    }
}
