package io.outpost.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.ManualClock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ServerCertificatesTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();

    private ServerCertificates.Settings settings(List<String> hosts) {
        return new ServerCertificates.Settings(dir, "Outpost CA test", hosts, Duration.ofDays(365),
                Duration.ofDays(90), Duration.ofDays(30), Optional.empty(), Optional.empty());
    }

    @Test
    void givenFirstStart_whenOpened_thenCaServerAndTrustBundleFilesWithOwnerOnlyKeys() throws Exception {
        ServerCertificates m = ServerCertificates.open(settings(List.of("gateway.local", "127.0.0.1")), clock);

        X509Certificate server = m.server().certificate();
        assertThat(CertificateChecks.subjectAlternativeNames(server)).containsExactly("gateway.local", "127.0.0.1");
        assertThat(server.getNotAfter().toInstant()).isEqualTo(clock.now().plus(Duration.ofDays(90)));
        assertThat(CertificateChecks.chainsTo(List.of(server), List.of(m.caCertificate()), clock.now())).isTrue();
        for (String key : List.of("ca.key", "server.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("trust-bundle.pem"))).isEqualTo(m.trustBundlePem());
        assertThat(Pem.certificates(Files.readString(dir.resolve("server.pem"))))
                .containsExactly(server, m.caCertificate());
    }

    @Test
    void givenServerCertificate_whenNearExpiry_thenRenewedAndNotBefore() {
        ServerCertificates m = ServerCertificates.open(settings(List.of("gateway.local")), clock);
        String first = m.serverChainPem();

        clock.advance(Duration.ofDays(59));
        assertThat(m.renewIfNeeded()).isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(m.renewIfNeeded()).isTrue();

        assertThat(m.serverChainPem()).isNotEqualTo(first);
        assertThat(m.server().certificate().getNotAfter().toInstant()).isEqualTo(clock.now().plus(Duration.ofDays(90)));
    }

    @Test
    void givenRestart_whenHostnamesUnchanged_thenSameCertificatesAreReused() {
        String ca = ServerCertificates.open(settings(List.of("gw")), clock).trustBundlePem();
        String server = ServerCertificates.open(settings(List.of("gw")), clock).serverChainPem();

        ServerCertificates again = ServerCertificates.open(settings(List.of("gw")), clock);
        ServerCertificates renamed = ServerCertificates.open(settings(List.of("gw", "gw.example")), clock);

        assertThat(again.trustBundlePem()).isEqualTo(ca);
        assertThat(again.serverChainPem()).isEqualTo(server);
        assertThat(CertificateChecks.subjectAlternativeNames(renamed.server().certificate()))
                .containsExactly("gw", "gw.example");
        assertThat(renamed.trustBundlePem()).isEqualTo(ca);
    }

    @Test
    void givenCaNearItsEnd_whenRenewed_thenTheServerCertificateEndsWithTheCa() {
        ServerCertificates m = ServerCertificates.open(settings(List.of("gw")), clock);

        clock.advance(Duration.ofDays(340));
        assertThat(m.renewIfNeeded()).isTrue();

        assertThat(m.server().certificate().getNotAfter()).isEqualTo(m.caCertificate().getNotAfter());
    }

    @Test
    void givenOperatorSuppliedCa_whenOpened_thenItIssuesTheServerCertificateAndNoCaIsGenerated() throws Exception {
        KeyedCertificate own = new CertificateAuthority(clock).createCa("Plant CA", Duration.ofDays(365));
        Path cert = Files.writeString(Files.createDirectories(dir.resolve("operator")).resolve("ca.pem"),
                Pem.encode(own.certificate()));
        Path key = Files.writeString(dir.resolve("operator/ca.key"), Pem.encode(own.key()));

        ServerCertificates m = ServerCertificates.open(new ServerCertificates.Settings(dir.resolve("certs"), "unused",
                List.of("gw"), Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(30), Optional.of(cert),
                Optional.of(key)), clock);

        assertThat(m.caCertificate()).isEqualTo(own.certificate());
        assertThat(dir.resolve("certs/ca.key")).doesNotExist();
        assertThat(CertificateChecks.chainsTo(List.of(m.server().certificate()), List.of(own.certificate()),
                clock.now())).isTrue();
    }

    @Test
    void givenInconsistentSettings_whenMade_thenErrorNamesTheField() {
        assertThatThrownBy(() -> settings(List.of())).hasMessageContaining("hostnames");
        assertThatThrownBy(() -> new ServerCertificates.Settings(dir, "ca", List.of("gw"), Duration.ofDays(365),
                Duration.ofDays(30), Duration.ofDays(30), Optional.empty(), Optional.empty()))
                .hasMessageContaining("serverValidity");
        assertThatThrownBy(() -> new ServerCertificates.Settings(dir, "ca", List.of("gw"), Duration.ofDays(365),
                Duration.ofDays(90), Duration.ofDays(30), Optional.of(dir), Optional.empty()))
                .hasMessageContaining("suppliedCaKey");
    }

    @Test
    void givenKeyStoreAndTrustBundle_whenClientConnectsOverTls_thenHandshakeSucceedsForTheHostName() throws Exception {
        ServerCertificates m = ServerCertificates.open(settings(List.of("localhost", "127.0.0.1")),
                new ManualClock(Instant.now()));
        char[] pw = "changeit".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(m.serverKeyStore(pw), pw);
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificate(m.trustBundlePem()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);

        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.getOutputStream().write(42);
                } catch (Exception e) {
                    // the client side reports the failure
                }
            });
            accept.start();
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost",
                    server.getLocalPort())) {
                SSLParameters p = client.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(p);
                assertThat(client.getInputStream().read()).isEqualTo(42);
                X509Certificate peer = (X509Certificate) client.getSession().getPeerCertificates()[0];
                assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            }
            accept.join(5000);
        }
    }
}
