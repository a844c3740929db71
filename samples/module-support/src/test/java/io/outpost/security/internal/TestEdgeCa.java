package io.outpost.security.internal;

import io.outpost.common.SystemClock;
import io.outpost.security.CertificateService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Outpost's real edge CA (the one the security bundle runs), created in a test folder for the given host names. */
public final class TestEdgeCa {

    private TestEdgeCa() {
    }

    public static CertificateService create(Path dir, List<String> hostnames) {
        return new CertificateManager(new CaSettings(dir, "Outpost Edge CA sample test", hostnames, Duration.ofDays(365),
                Duration.ofDays(90), Duration.ofDays(30), Duration.ofDays(30), Optional.empty(), Optional.empty()),
                SystemClock.INSTANCE);
    }
}
