package io.outpost.testing;

import io.outpost.common.Clock;
import io.outpost.common.SystemClock;
import io.outpost.pki.CertificateChecks;
import io.outpost.pki.KeyedCertificate;
import io.outpost.pki.Pem;
import io.outpost.pki.ServerCertificates;
import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import io.outpost.security.ServerCertificate;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An edge CA and the hub's TLS server certificate for tests, built on {@code io.outpost.pki} (the CA and
 * certificates the security bundle generates, with the same files in the folder: {@code ca.pem}, {@code
 * server.pem}, {@code trust-bundle.pem}), served through the exported {@link CertificateService}.
 */
public final class TestCertificates implements CertificateService {

    private final ServerCertificates certificates;

    private TestCertificates(ServerCertificates certificates) {
        this.certificates = certificates;
    }

    /** An edge CA in {@code dir} whose server certificate names localhost and 127.0.0.1, valid from now. */
    public static TestCertificates edgeCa(Path dir) {
        return edgeCa(dir, List.of("localhost", "127.0.0.1"));
    }

    /** An edge CA in {@code dir} whose server certificate names the given host names and addresses, valid from now. */
    public static TestCertificates edgeCa(Path dir, List<String> hostnames) {
        return edgeCa(dir, hostnames, SystemClock.INSTANCE);
    }

    /** An edge CA in {@code dir} for the given host names, issued at the clock's time. */
    public static TestCertificates edgeCa(Path dir, List<String> hostnames, Clock clock) {
        return new TestCertificates(ServerCertificates.open(new ServerCertificates.Settings(dir,
                "Outpost Edge CA test", hostnames, Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30),
                Optional.empty(), Optional.empty()), clock));
    }

    @Override
    public String trustBundlePem() {
        return certificates.trustBundlePem();
    }

    @Override
    public ServerCertificate serverCertificate() {
        KeyedCertificate server = certificates.server();
        X509Certificate c = server.certificate();
        return new ServerCertificate(certificates.serverChainPem(), Pem.encode(server.key()),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), CertificateChecks.subjectAlternativeNames(c));
    }

    @Override
    public KeyStore serverKeyStore(char[] password) {
        return certificates.serverKeyStore(password);
    }

    /** The CA and the server certificate, both reported "ok" (tests that need expiry warnings use the bundle). */
    @Override
    public List<CertificateStatus> status() {
        X509Certificate ca = certificates.caCertificate();
        X509Certificate server = certificates.server().certificate();
        return List.of(
                new CertificateStatus("edge-ca", ca.getSubjectX500Principal().getName(),
                        ca.getNotAfter().toInstant(), false, "ok"),
                new CertificateStatus("hub-server", server.getSubjectX500Principal().getName(),
                        server.getNotAfter().toInstant(), false, "ok"));
    }
}
