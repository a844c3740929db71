package io.outpost.security;

import java.time.Instant;
import java.util.Objects;

/**
 * One certificate's health: which one ({@code edge-ca}, {@code hub-server}), its subject and expiry, and
 * whether it nears expiry (then {@code message} says what to do).
 */
public record CertificateStatus(String name, String subject, Instant notAfter, boolean expiringSoon, String message) {

    public CertificateStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(message, "message");
    }
}
