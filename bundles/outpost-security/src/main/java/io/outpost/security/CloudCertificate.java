package io.outpost.security;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The X.509 certificate the edge authenticates to the cloud with, registered as a service by the cloud link
 * while it uses {@code auth = x509}; {@code edge:cloud-cert} shows it so that the operator registers the device in
 * the cloud by its thumbprint.
 */
@ProviderType
public interface CloudCertificate {

    /** The certificate as its file holds it now. */
    Details details();

    /**
     * @param deviceId         the device the link connects as (the certificate's CN must be this)
     * @param certificateFile  the PEM file
     * @param subject          the certificate's subject
     * @param issuer           its issuer (the subject again when self-signed)
     * @param selfSigned       whether the link generated it or it is otherwise self-issued
     * @param notAfter         when it expires
     * @param sha256Thumbprint SHA-256 of its DER encoding, upper-case hex (what the cloud registry takes)
     * @param sha1Thumbprint   SHA-1 of it, upper-case hex
     */
    record Details(String deviceId, Path certificateFile, String subject, String issuer, boolean selfSigned,
            Instant notAfter, String sha256Thumbprint, String sha1Thumbprint) {

        public Details {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(certificateFile, "certificateFile");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(notAfter, "notAfter");
            Objects.requireNonNull(sha256Thumbprint, "sha256Thumbprint");
            Objects.requireNonNull(sha1Thumbprint, "sha1Thumbprint");
        }
    }
}
