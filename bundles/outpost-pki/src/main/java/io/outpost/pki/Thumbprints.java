package io.outpost.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Certificate thumbprints: the SHA-1 or SHA-256 digest of the DER encoding, as upper-case hex. IoT Hub registers a
 * device by either; so do Outpost's edge ({@code edge:device-add}) and cloud registry.
 */
public final class Thumbprints {

    private Thumbprints() {
    }

    /** The SHA-256 thumbprint: 64 upper-case hex digits. */
    public static String sha256(X509Certificate certificate) {
        return digest("SHA-256", certificate);
    }

    /** The SHA-1 thumbprint: 40 upper-case hex digits. */
    public static String sha1(X509Certificate certificate) {
        return digest("SHA-1", certificate);
    }

    /**
     * Whether the certificate has the registered thumbprint: SHA-1 when it has 40 hex digits, SHA-256 when it has
     * 64, in either case and with surrounding blanks ignored; compared in constant time. Empty, {@code null} or any
     * other text matches no certificate.
     */
    public static boolean matches(X509Certificate certificate, String registered) {
        if (registered == null) {
            return false;
        }
        String expected = registered.trim().toUpperCase(Locale.ROOT);
        String actual = switch (expected.length()) {
            case 40 -> sha1(certificate);
            case 64 -> sha256(certificate);
            default -> null;
        };
        return actual != null && MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(String algorithm, X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute the " + algorithm + " thumbprint: " + e.getMessage(), e);
        }
    }
}
