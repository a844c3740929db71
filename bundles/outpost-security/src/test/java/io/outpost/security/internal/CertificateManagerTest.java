package io.outpost.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.security.CertificateStatus;
import io.outpost.security.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's certificate service over the PKI library's {@code ServerCertificates} (whose tests cover renewal,
 * reuse across restarts and TLS): its files, server certificate and status.
 */
class CertificateManagerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();

    private CaSettings settings(List<String> hosts) {
        return new CaSettings(dir, "Outpost Edge CA test", hosts, Duration.ofDays(365), Duration.ofDays(90),
                Duration.ofDays(30), Duration.ofDays(30), Optional.empty(), Optional.empty());
    }

    @Test
    void givenFirstStart_whenCreated_thenCaAndServerCertificateExistWithOwnerOnlyKeys() throws Exception {
        CertificateManager m = new CertificateManager(settings(List.of("gateway.local", "127.0.0.1")), clock);

        ServerCertificate server = m.serverCertificate();
        assertThat(server.hostnames()).containsExactly("gateway.local", "127.0.0.1");
        assertThat(server.notAfter()).isEqualTo(clock.now().plus(Duration.ofDays(90)));
        for (String key : List.of("ca.key", "server.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("trust-bundle.pem"))).isEqualTo(m.trustBundlePem());
        assertThat(m.status()).allSatisfy(s -> assertThat(s.expiringSoon()).isFalse());
    }

    @Test
    void givenCaNearItsEnd_whenStatusRead_thenItWarnsWithWhatToDo() {
        CertificateManager m = new CertificateManager(settings(List.of("gw")), clock);

        clock.advance(Duration.ofDays(340));
        m.renewIfNeeded();

        CertificateStatus ca = m.status().get(0);
        assertThat(ca.name()).isEqualTo("edge-ca");
        assertThat(ca.expiringSoon()).isTrue();
        assertThat(ca.message()).contains("caCertFile");
        assertThat(m.serverCertificate().notAfter()).isEqualTo(clock.now().plus(Duration.ofDays(25)));
    }
}
