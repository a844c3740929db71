package io.outpost.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.pki.Pem;
import io.outpost.security.CertificateStatus;
import io.outpost.security.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void givenServerCertificate_whenNearExpiry_thenRenewedAndNotBefore() {
        CertificateManager m = new CertificateManager(settings(List.of("gateway.local")), clock);
        String first = m.serverCertificate().chainPem();

        clock.advance(Duration.ofDays(59));
        assertThat(m.renewIfNeeded()).isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(m.renewIfNeeded()).isTrue();

        assertThat(m.serverCertificate().chainPem()).isNotEqualTo(first);
        assertThat(m.serverCertificate().notAfter()).isEqualTo(clock.now().plus(Duration.ofDays(90)));
    }

    @Test
    void givenRestart_whenHostnamesUnchanged_thenSameCertificatesAreReused() {
        String ca = new CertificateManager(settings(List.of("gw")), clock).trustBundlePem();
        CertificateManager first = new CertificateManager(settings(List.of("gw")), clock);
        String server = first.serverCertificate().chainPem();

        CertificateManager again = new CertificateManager(settings(List.of("gw")), clock);
        CertificateManager renamed = new CertificateManager(settings(List.of("gw", "gw.example")), clock);

        assertThat(again.trustBundlePem()).isEqualTo(ca);
        assertThat(again.serverCertificate().chainPem()).isEqualTo(server);
        assertThat(renamed.serverCertificate().hostnames()).containsExactly("gw", "gw.example");
        assertThat(renamed.trustBundlePem()).isEqualTo(ca);
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

    @Test
    void givenKeyStoreAndTrustBundle_whenClientConnectsOverTls_thenHandshakeSucceedsForTheHostName() throws Exception {
        CertificateManager m = new CertificateManager(settings(List.of("localhost", "127.0.0.1")), new ManualClock(
                java.time.Instant.now()));
        char[] pw = "changeit".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(m.serverKeyStore(pw), pw);
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("edge-ca", Pem.certificate(m.trustBundlePem()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);

        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.getOutputStream().write(42);
                } catch (Exception e) {
                    // the client side reports the failure
                }
            });
            accept.start();
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory().createSocket("localhost", server.getLocalPort())) {
                javax.net.ssl.SSLParameters p = client.getSSLParameters();
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
