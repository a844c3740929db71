package io.outpost.security.internal;

import io.outpost.common.SystemClock;
import io.outpost.security.CertificateService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The security bundle's real edge CA, for the hub's listener tests. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** An edge CA in {@code dir} whose server certificate names localhost and 127.0.0.1, valid from now. */
    public static CertificateService edgeCa(Path dir) {
        return edgeCa(dir, List.of("localhost", "127.0.0.1"));
    }

    /** An edge CA in {@code dir} whose server certificate names the given host names and addresses. */
    public static CertificateService edgeCa(Path dir, List<String> hostnames) {
        return new CertificateManager(new CaSettings(dir, "Outpost Edge CA test", hostnames,
                Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30), Duration.ofDays(30), Optional.empty(),
                Optional.empty()), SystemClock.INSTANCE);
    }
}
