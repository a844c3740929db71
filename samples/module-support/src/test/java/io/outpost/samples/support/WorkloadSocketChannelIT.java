package io.outpost.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.edge.HttpsHsmTrustBundleProvider;
import com.microsoft.azure.sdk.iot.device.hsm.HttpHsmSignatureProvider;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.SasToken;
import io.outpost.security.testing.WorkloadFixture;
import io.outpost.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure's Java SDK (iot-device-client 2.5.0) against Outpost's real workload server and edge CA, through
 * {@link JdkUnixDomainSocketChannel}: the calls ModuleClient.createFromEnvironment makes before it connects.
 */
class WorkloadSocketChannelIT {

    private static final String API = "2018-06-28";
    private static final String HUB = "outpost-hub";

    @TempDir
    Path dir;

    private IdentityService identities;
    private CertificateService ca;
    private WorkloadFixture server;
    private Identity filter;
    private Path filterSocket;
    private Path sensorSocket;

    @BeforeEach
    void start() throws IOException {
        identities = WorkloadFixture.identities(dir.resolve("identities.properties"));
        filter = identities.moduleIdentity("dev1", "filter");
        identities.moduleIdentity("dev1", "sensor");
        ca = TestCertificates.edgeCa(dir.resolve("ca"), List.of("localhost", "127.0.0.1"));
        server = WorkloadFixture.start(dir.resolve("workload"), identities, ca);
        filterSocket = server.open("dev1", "filter");
        sensorSocket = server.open("dev1", "sensor");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void givenModuleSocket_whenSdkSigns_thenDigestIsHmacOfTheModuleKey() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider("unix://" + filterSocket, API,
                new JdkUnixDomainSocketChannel());

        String signed = signer.sign("filter", "outpost-hub%2Fdevices%2Fdev1%2Fmodules%2Ffilter\n1900000000",
                filter.generationId());

        assertThat(URLDecoder.decode(signed, StandardCharsets.UTF_8)).isEqualTo(SasToken.sign(
                "outpost-hub%2Fdevices%2Fdev1%2Fmodules%2Ffilter\n1900000000", filter.primaryKey().orElseThrow()));
    }

    @Test
    void givenModuleSocket_whenSdkAsksTrustBundle_thenEdgeCaPemIsReturned() throws Exception {
        String bundle = new HttpsHsmTrustBundleProvider().getTrustBundleCerts("unix://" + filterSocket, API,
                new JdkUnixDomainSocketChannel());

        assertThat(bundle).isEqualTo(ca.trustBundlePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void givenOneChannel_whenUsedForManyRequests_thenEachIsAnswered() throws Exception {
        JdkUnixDomainSocketChannel channel = new JdkUnixDomainSocketChannel();
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider("unix://" + filterSocket, API, channel);

        for (int i = 0; i < 20; i++) {
            assertThat(signer.sign("filter", "data-" + i, filter.generationId())).isNotEmpty();
        }
        assertThat(new HttpsHsmTrustBundleProvider().getTrustBundleCerts("unix://" + filterSocket, API, channel))
                .isEqualTo(ca.trustBundlePem());
    }

    @Test
    void givenAnotherModulesSocket_whenSdkSignsForFilter_thenRefusedWithTheServersMessage() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider("unix://" + sensorSocket, API,
                new JdkUnixDomainSocketChannel());

        assertThatThrownBy(() -> signer.sign("filter", "x", filter.generationId()))
                .hasMessageContaining("403").hasMessageContaining("may only sign with its own key");
    }

    @Test
    void givenNoSocketAtTheAddress_whenOpened_thenErrorNamesTheAddress() {
        String missing = dir.resolve("nothing.sock").toString();

        assertThatThrownBy(() -> new JdkUnixDomainSocketChannel().open(missing))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot connect to the workload socket " + missing);
        assertThatThrownBy(() -> new JdkUnixDomainSocketChannel().write(new byte[1]))
                .isInstanceOf(IOException.class).hasMessage("the workload socket channel is not open");
    }

    @Test
    void givenModuleEnvironment_whenModuleClientCreatedFromIt_thenTokenVerifiesAndHubCertificateIsTrusted()
            throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = ca.serverKeyStore(password);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket tls = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> serveOneHandshake(tls), "tls-accept");
            acceptor.setDaemon(true);
            acceptor.start();

            List<String> out = runProbe(Map.of(
                    "IOTEDGE_WORKLOADURI", "unix://" + filterSocket,
                    "IOTEDGE_DEVICEID", "dev1",
                    "IOTEDGE_MODULEID", "filter",
                    "IOTEDGE_MODULEGENERATIONID", filter.generationId(),
                    "IOTEDGE_IOTHUBHOSTNAME", HUB,
                    "IOTEDGE_GATEWAYHOSTNAME", "localhost",
                    "IOTEDGE_APIVERSION", "2019-01-30",
                    "IOTEDGE_AUTHSCHEME", "sasToken"), tls.getLocalPort());

            String token = out.stream().filter(l -> l.startsWith("token=")).findFirst().orElseThrow().substring(6);
            SasToken.parse(token).verify(filter.resource(HUB), filter.primaryKey().orElseThrow(), Instant.now());
            assertThat(SasToken.parse(token).expiry()).isAfter(Instant.now().plusSeconds(600));
            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("peer=").contains("localhost"));
        }
    }

    private static void serveOneHandshake(SSLServerSocket tls) {
        try (SSLSocket s = (SSLSocket) tls.accept(); InputStream in = s.getInputStream()) {
            s.startHandshake();
            in.read();
        } catch (IOException e) {
            // the probe closes its side once the handshake is done; its output is what the test checks
        }
    }

    private static List<String> runProbe(Map<String, String> env, int port) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ModuleFromEnvironmentProbe.class.getName(), Integer.toString(port));
        pb.environment().remove("EdgeHubConnectionString");
        pb.environment().remove("IotHubConnectionString");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("probe exit; output:%n%s", text).isZero();
        return text.lines().toList();
    }
}
