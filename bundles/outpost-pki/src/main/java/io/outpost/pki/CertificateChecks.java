package io.outpost.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks a host makes on a certificate and its chain, the same on the edge and in the cloud. Validity has one
 * rule everywhere: a certificate is valid from its {@code notBefore} to its {@code notAfter}, both included, as
 * {@link X509Certificate#checkValidity(Date)} and the PKIX chain validation have it.
 */
public final class CertificateChecks {

    /** The extended key usage {@code id-kp-clientAuth} (RFC 5280). */
    public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private CertificateChecks() {
    }

    /** Whether {@code notBefore <= now <= notAfter}. */
    public static boolean validAt(X509Certificate certificate, Instant now) {
        return !now.isBefore(certificate.getNotBefore().toInstant())
                && !now.isAfter(certificate.getNotAfter().toInstant());
    }

    /**
     * Whether the chain (leaf first) validates up to one of the trusted CA certificates at {@code now}: signatures,
     * validity periods ({@link #validAt}), CA constraints; no revocation check. Copies of a trusted CA that the
     * client sent along are left out of the path.
     */
    public static boolean chainsTo(List<X509Certificate> chain, Collection<X509Certificate> trustedCas, Instant now) {
        if (chain.isEmpty() || trustedCas.isEmpty()) {
            return false;
        }
        try {
            Set<TrustAnchor> anchors = trustedCas.stream().map(c -> new TrustAnchor(c, null))
                    .collect(Collectors.toSet());
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

    /** The subject's common name (CN); empty when it has none. */
    public static String commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "CN=", 0, 3)) {
                return p.substring(3);
            }
        }
        return "";
    }

    /** The subject alternative names (DNS names and IP addresses as text), in order; empty when it has none. */
    public static List<String> subjectAlternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans.stream().map(san -> String.valueOf(san.get(1))).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    /**
     * Why a CA-issued leaf certificate may not authenticate a client, or empty when it may: it must carry the
     * extended key usage extension with clientAuth ({@value #CLIENT_AUTH}), so that a server or code-signing
     * certificate from the same CA does not open a client session.
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
            return Optional.of("the certificate's extended key usages (" + usages.stream()
                    .map(CertificateChecks::usageName).collect(Collectors.joining(", "))
                    + ") do not include clientAuth (" + CLIENT_AUTH + ")");
        }
        return Optional.empty();
    }

    private static String usageName(String oid) {
        return switch (oid) {
            case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
            case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
            case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
            case "2.5.29.37.0" -> "anyExtendedKeyUsage";
            default -> oid;
        };
    }
}
