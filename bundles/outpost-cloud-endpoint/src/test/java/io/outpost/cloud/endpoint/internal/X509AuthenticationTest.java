package io.outpost.cloud.endpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.common.SystemClock;
import io.outpost.pki.CertificateAuthority;
import io.outpost.pki.KeyedCertificate;
import io.outpost.pki.Thumbprints;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates at the endpoint, with Paho over TLS: a device's certificate (registered by thumbprint) opens
 * the device, its modules and, for a parent, its children, and nothing else.
 */
@Tag("integration")
class X509AuthenticationTest {

    @TempDir
    Path dir;

    CloudStoreFixture store;
    CloudEndpoint endpoint;
    KeyedCertificate gateway;
    final List<MqttClient> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 100, SystemClock.INSTANCE);
        gateway = new CertificateAuthority(SystemClock.INSTANCE).selfSignedClient("gw-x", Duration.ofDays(1));
        store.registry().create("gw-x", new DeviceAuth.X509Thumbprints(Thumbprints.sha256(gateway.certificate()), ""),
                "{}");
        store.registry().create("leaf-x", new DeviceAuth.SymmetricKeys(CloudEndpointTest.KEY_B, ""), "{}",
                Optional.of("gw-x"));
        store.registry().create("dev-a", new DeviceAuth.SymmetricKeys(CloudEndpointTest.KEY_A, ""), "{}");
        endpoint = CloudEndpoint.start(EndpointSettings.forTest(dir.resolve("endpoint"),
                CloudEndpointTest.freePort()), store.registry(), store.twins(), store.deployments(), store.telemetry(), store.c2d(), C2dSettings.defaults(),
                SystemClock.INSTANCE);
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : open) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 100);
            }
            c.close();
        }
        endpoint.close();
        store.close();
    }

    MqttClient connect(String identity, KeyedCertificate certificate) throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + endpoint.port(), identity, new MemoryPersistence());
        open.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(DeviceClients.HUB + "/" + identity + "/?api-version=2021-04-12");
        options.setConnectionTimeout(10);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", certificate.key(), new char[0], new X509Certificate[] {certificate.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("endpoint").resolve("trust-bundle.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        options.setSocketFactory(context.getSocketFactory());
        client.connect(options);
        return client;
    }

    int refusal(String identity, KeyedCertificate certificate) {
        MqttException e = catchThrowableOfType(MqttException.class, () -> connect(identity, certificate));
        assertThat(e).as("connecting as %s must fail", identity).isNotNull();
        return e.getReasonCode();
    }

    @Test
    void givenDeviceCertificateRegisteredByThumbprint_whenItConnectsForItselfItsModulesAndChildren_thenAccepted()
            throws Exception {
        assertThat(connect("gw-x", gateway).isConnected()).isTrue();
        assertThat(connect("gw-x/$edgeAgent", gateway).isConnected()).isTrue();
        assertThat(store.registry().getModule("gw-x", "$edgeAgent")).isPresent();
        assertThat(connect("leaf-x", gateway).isConnected()).as("the parent's certificate opens its child").isTrue();
    }

    @Test
    void givenDeviceCertificate_whenUsedBeyondItsDeviceModulesAndChildren_thenRefused() throws Exception {
        KeyedCertificate unregistered = new CertificateAuthority(SystemClock.INSTANCE).selfSignedClient("gw-x",
                Duration.ofDays(1));

        assertThat(refusal("gw-x", unregistered)).as("thumbprint not registered")
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("gw-x/$edgeHub", unregistered)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("dev-a", gateway)).as("not its child").isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("leaf-x/mod", gateway)).as("a child's module")
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        store.registry().setEnabled("gw-x", false);
        assertThat(refusal("leaf-x", gateway)).as("a disabled parent speaks for no child")
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    }
}
