package io.outpost.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and the private key that belongs to it. {@link #toString()} never shows the key.
 *
 * @param certificate the certificate
 * @param key         its private key
 */
public record KeyedCertificate(X509Certificate certificate, PrivateKey key) {

    public KeyedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "KeyedCertificate[subject=" + certificate.getSubjectX500Principal().getName() + ", notAfter="
                + certificate.getNotAfter().toInstant() + ", key=hidden]";
    }
}
