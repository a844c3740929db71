package io.outpost.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checks a hub makes on a leaf device's TLS client certificate, so that every place that authenticates leaf
 * devices applies the same rules: a registered thumbprint ({@link Identity#thumbprint()}) may be SHA-1 (40 hex
 * digits) or SHA-256 (64), as IoT Hub and {@link IdentityService#addDeviceWithThumbprint} accept both; and a leaf
 * certificate issued by a CA ({@link Identity.AuthType#X509_CA}) must name client authentication among its extended
 * key usages, so that a server or code-signing certificate from the same CA does not open a device session.
 */
public final class LeafCertificates {

    /** The extended key usage {@code id-kp-clientAuth} (RFC 5280). */
    public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private LeafCertificates() {
    }

    /**
     * Whether the certificate has the registered thumbprint: SHA-1 when it has 40 hex digits, SHA-256 when it has
     * 64, in either case; any other text matches no certificate.
     */
    public static boolean thumbprintMatches(X509Certificate certificate, String registered) {
        if (registered == null) {
            return false;
        }
        String expected = registered.trim().toUpperCase(Locale.ROOT);
        String actual = switch (expected.length()) {
            case 40 -> DeviceCertificates.sha1Thumbprint(certificate);
            case 64 -> DeviceCertificates.sha256Thumbprint(certificate);
            default -> null;
        };
        return actual != null && MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Why a CA-issued leaf certificate may not authenticate a client, or empty when it may: it must carry the
     * extended key usage extension with clientAuth ({@value #CLIENT_AUTH}).
     */
    public static Optional<String> clientAuthRefusal(X509Certificate certificate) {
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return Optional.of("the certificate's extended key usage extension cannot be parsed");
        }
        if (usages == null) {
            return Optional.of("the certificate has no extended key usage extension; a CA-issued leaf certificate "
                    + "must carry clientAuth (" + CLIENT_AUTH + ")");
        }
        if (!usages.contains(CLIENT_AUTH)) {
            return Optional.of("the certificate's extended key usages (" + usages.stream().map(LeafCertificates::name)
                    .collect(Collectors.joining(", ")) + ") do not include clientAuth (" + CLIENT_AUTH + ")");
        }
        return Optional.empty();
    }

    private static String name(String oid) {
        return switch (oid) {
            case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
            case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
            case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
            case "2.5.29.37.0" -> "anyExtendedKeyUsage";
            default -> oid;
        };
    }
}
