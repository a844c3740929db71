package io.outpost.security.internal;

import io.outpost.pki.ServerCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The edge CA's settings: where its files live, the CA's name, the host names the hub's certificate names,
 * validities, how long before expiry the server certificate is renewed and certificates are reported as
 * expiring, and optionally an operator-supplied CA (certificate and key PEM files).
 */
record CaSettings(Path dir, String caName, List<String> hostnames, Duration caValidity, Duration serverValidity,
        Duration renewBefore, Duration warnBefore, Optional<Path> suppliedCaCert, Optional<Path> suppliedCaKey) {

    CaSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(caName, "caName");
        hostnames = List.copyOf(hostnames);
        if (hostnames.isEmpty()) {
            throw new IllegalArgumentException("hostnames must name at least one host");
        }
        if (serverValidity.compareTo(renewBefore) <= 0) {
            throw new IllegalArgumentException("serverCertDays must be longer than renewBeforeDays");
        }
        if (suppliedCaCert.isPresent() != suppliedCaKey.isPresent()) {
            throw new IllegalArgumentException("caCertFile and caKeyFile are given together or not at all");
        }
    }

    /** The folder, CA and server certificate settings, as the PKI library takes them. */
    ServerCertificates.Settings pki() {
        return new ServerCertificates.Settings(dir, caName, hostnames, caValidity, serverValidity, renewBefore,
                suppliedCaCert, suppliedCaKey);
    }
}
