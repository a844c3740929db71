package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.ManualClock;
import io.outpost.common.SystemClock;
import io.outpost.hub.Endpoints;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.StoredMessage;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.SasToken;
import io.outpost.security.internal.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's MQTT listener with a real client (Eclipse Paho) over TLS, a real store, router and edge CA. */
class MqttListenerTest {

    private static final String HUB = "hub.example.net";
    private static final String DEVICE = "edge1";
    private static final String API = "/?api-version=2021-04-12";

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final FakeIdentities identities = new FakeIdentities();
    private final List<MqttClient> clients = new ArrayList<>();
    private ArtemisMessageStore store;
    private Router router;
    private CertificateService certificates;
    private MqttListener listener;
    private int tlsPort;
    private Identity sensor;
    private Identity other;

    @BeforeEach
    void start() throws Exception {
        store = StoreFixture.open(dir.resolve("store"), clock);
        router = new Router(store);
        router.putRoute(new RouteDefinition("up", "FROM /messages/modules/sensor/outputs/* INTO $upstream", 0, 0,
                RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("otherUp", "FROM /messages/modules/other/* INTO $upstream", 0, 0,
                RouteDefinition.FROM_SHELL));
        certificates = TestCertificates.edgeCa(dir.resolve("security"));
        sensor = identities.moduleIdentity(DEVICE, "sensor");
        other = identities.moduleIdentity(DEVICE, "other");
        tlsPort = freePort();
        listener = startListener(new MqttSettings("127.0.0.1", tlsPort, 0));
    }

    private MqttListener startListener(MqttSettings settings) throws Exception {
        return MqttListener.start(store.broker(), settings, dir.resolve("store"), certificates::serverKeyStore,
                new SasAuthenticator(identities, SystemClock.INSTANCE), router);
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(1000, 1000);
            }
            c.close(true);
        }
        listener.close();
        store.close();
    }

    @Test
    void givenModuleWithValidToken_whenItPublishesTelemetry_thenRoutedToUpstreamWithItsProperties() throws Exception {
        MqttClient client = connect(sensor, token(sensor.resource(HUB), sensor, Instant.now().plusSeconds(3600)));

        client.publish("devices/" + DEVICE + "/modules/sensor/messages/events/"
                        + "%24.on=out1&%24.ct=application%2Fjson&%24.ce=utf-8&%24.mid=m-1&%24.cid=c-1&temp%20unit=C",
                qos1("{\"t\":21}"));

        assertThat(store.stats(Endpoints.UPSTREAM).length()).isEqualTo(1);
        List<StoredMessage> stored = StoreFixture.drain(store, Endpoints.UPSTREAM);
        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21}");
            assertThat(m.systemProperties())
                    .containsEntry("contentType", "application/json")
                    .containsEntry("contentEncoding", "utf-8")
                    .containsEntry("messageId", "m-1")
                    .containsEntry("correlationId", "c-1")
                    .containsEntry("connectionModuleId", "sensor")
                    .containsEntry("connectionDeviceId", DEVICE)
                    .containsEntry("outputName", "out1");
            assertThat(m.properties()).containsExactlyEntriesOf(Map.of("temp unit", "C"));
        });
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void givenModuleWithValidToken_whenItPublishesManyMessages_thenTheUpstreamQueueGrowsByEach() throws Exception {
        MqttClient client = connect(sensor, token(sensor.resource(HUB), sensor, Instant.now().plusSeconds(3600)));

        for (int i = 0; i < 5; i++) {
            client.publish("devices/" + DEVICE + "/modules/sensor/messages/events/$.on=out" + i, qos1("m" + i));
        }

        assertThat(store.stats(Endpoints.UPSTREAM).length()).isEqualTo(5);
    }

    @Test
    void givenLeafDeviceWithValidToken_whenItPublishesTelemetry_thenRoutedAsFromThatDevice() throws Exception {
        Identity leaf = identities.addDevice("leaf1");
        String sink = Endpoints.moduleInput("sink", "in");
        router.putRoute(new RouteDefinition("leaves", "FROM /messages/* WHERE $connectionDeviceId = 'leaf1' "
                + "INTO BrokeredEndpoint(\"/modules/sink/inputs/in\")", 0, 0, RouteDefinition.FROM_SHELL));
        MqttClient client = connect(leaf, token(leaf.resource(HUB), leaf, Instant.now().plusSeconds(3600)));

        client.publish("devices/leaf1/messages/events/kind=reading", qos1("42"));

        assertThat(StoreFixture.drain(store, sink)).singleElement().satisfies(m -> {
            assertThat(m.systemProperties()).containsEntry("connectionDeviceId", "leaf1")
                    .doesNotContainKey("connectionModuleId");
            assertThat(m.properties()).containsEntry("kind", "reading");
        });
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
    }

    @Test
    void givenTokenSignedWithAnotherKey_whenConnecting_thenNotAuthorized() {
        String forged = SasToken.create(sensor.resource(HUB), randomKey(), Instant.now().plusSeconds(3600));

        assertRefused(sensor, forged);
    }

    @Test
    void givenExpiredToken_whenConnecting_thenNotAuthorized() {
        assertRefused(sensor, token(sensor.resource(HUB), sensor, Instant.now().minusSeconds(60)));
    }

    @Test
    void givenTokenForAnotherModule_whenConnecting_thenNotAuthorized() {
        assertRefused(sensor, token(other.resource(HUB), sensor, Instant.now().plusSeconds(3600)));
    }

    @Test
    void givenUnknownIdentityOrGarbage_whenConnecting_thenNotAuthorized() {
        Identity ghost = new Identity(DEVICE, Optional.of("ghost"), Identity.AuthType.SAS, Optional.of(randomKey()),
                Optional.empty(), "g1", Instant.now());
        assertRefused(ghost, token(ghost.resource(HUB), ghost, Instant.now().plusSeconds(3600)));
        assertRefused(sensor, "not a token");
    }

    @Test
    void givenClientIdOfAnotherModule_whenConnectingWithValidToken_thenNotAuthorized() throws Exception {
        MqttClient client = client(DEVICE + "/other", tlsPort, true);
        MqttConnectOptions options = tls(options(HUB + "/" + DEVICE + "/sensor" + API,
                token(sensor.resource(HUB), sensor, Instant.now().plusSeconds(3600))));

        assertThatThrownBy(() -> client.connect(options)).isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    @Test
    void givenConnectedModule_whenItPublishesOnAnotherModulesTopic_thenConnectionClosedAndNothingRouted()
            throws Exception {
        MqttClient client = connect(sensor, token(sensor.resource(HUB), sensor, Instant.now().plusSeconds(3600)));

        assertThatThrownBy(() -> client.publish("devices/" + DEVICE + "/modules/other/messages/events/", qos1("x")))
                .isInstanceOf(MqttException.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
    }

    @Test
    void givenConnectedModule_whenItPublishesOnAnArbitraryTopic_thenConnectionClosed() throws Exception {
        MqttClient client = connect(sensor, token(sensor.resource(HUB), sensor, Instant.now().plusSeconds(3600)));

        assertThatThrownBy(() -> client.publish("some/other/topic", qos1("x"))).isInstanceOf(MqttException.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
    }

    @Test
    void givenDefaultSettings_thenListenerBoundToLoopbackOnlyAndKeyStorePrivate() throws Exception {
        Map<String, Object> params = store.broker().server().getRemotingService()
                .getAcceptor(MqttListener.TLS_ACCEPTOR).getConfiguration();
        assertThat(params).containsEntry("host", "127.0.0.1").containsEntry("sslEnabled", true);
        Path keyStore = dir.resolve("store").resolve("mqtt").resolve("server.p12");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyStore))).isEqualTo("rw-------");

        for (InetAddress address : nonLoopbackAddresses()) {
            assertThat(accepts(address, tlsPort)).as("connect to %s:%d", address, tlsPort).isFalse();
        }
        assertThat(accepts(InetAddress.getByName("127.0.0.1"), tlsPort)).isTrue();
    }

    @Test
    void givenPlainPortAndWildcardHost_thenPlainListenerOnLoopbackOnlyAndAuthenticated() throws Exception {
        listener.close();
        int plain = freePort();
        listener = startListener(new MqttSettings("0.0.0.0", 0, plain));

        Map<String, Object> params = store.broker().server().getRemotingService()
                .getAcceptor(MqttListener.PLAIN_ACCEPTOR).getConfiguration();
        assertThat(params).containsEntry("host", "127.0.0.1");
        for (InetAddress address : nonLoopbackAddresses()) {
            assertThat(accepts(address, plain)).as("connect to %s:%d", address, plain).isFalse();
        }
        MqttClient refused = client(sensor.name(), plain, false);
        assertThatThrownBy(() -> refused.connect(options(HUB + "/" + sensor.name() + API, "not a token")))
                .isInstanceOf(MqttSecurityException.class);
        MqttClient client = client(sensor.name(), plain, false);
        client.connect(options(HUB + "/" + sensor.name() + API,
                token(sensor.resource(HUB), sensor, Instant.now().plusSeconds(3600))));
        client.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=o", qos1("plain"));
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isEqualTo(1);
    }

    // ---- helpers

    private void assertRefused(Identity identity, String password) {
        assertThatThrownBy(() -> connect(identity, password)).isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    private MqttClient connect(Identity identity, String password) throws Exception {
        MqttClient client = client(identity.name(), tlsPort, true);
        client.connect(tls(options(HUB + "/" + identity.name() + API, password)));
        return client;
    }

    private MqttClient client(String clientId, int port, boolean tls) throws MqttException {
        MqttClient client = new MqttClient((tls ? "ssl" : "tcp") + "://127.0.0.1:" + port, clientId,
                new MemoryPersistence());
        clients.add(client);
        return client;
    }

    private MqttConnectOptions options(String username, String password) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(30);
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        return options;
    }

    private MqttConnectOptions tls(MqttConnectOptions options) throws Exception {
        options.setSocketFactory(trustingEdgeCa().getSocketFactory());
        return options;
    }

    private SSLContext trustingEdgeCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(certificates.trustBundlePem().getBytes(StandardCharsets.US_ASCII)))) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static MqttMessage qos1(String body) {
        MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return m;
    }

    private static String token(String resource, Identity signer, Instant expiry) {
        return SasToken.create(resource, signer.primaryKey().orElseThrow(), expiry);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) {
                        addresses.add(a);
                    }
                }
            }
        }
        return addresses;
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Identities in memory, with random keys. */
    private static final class FakeIdentities implements IdentityService {
        private final Map<String, Identity> byName = new ConcurrentHashMap<>();

        @Override
        public Identity moduleIdentity(String deviceId, String moduleId) {
            return byName.computeIfAbsent(deviceId + "/" + moduleId, n -> new Identity(deviceId, Optional.of(moduleId),
                    Identity.AuthType.SAS, Optional.of(randomKey()), Optional.empty(), "g1", Instant.now()));
        }

        @Override
        public Identity rotateModuleIdentity(String deviceId, String moduleId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Identity addDevice(String deviceId) {
            return byName.computeIfAbsent(deviceId, n -> new Identity(deviceId, Optional.empty(),
                    Identity.AuthType.SAS, Optional.of(randomKey()), Optional.empty(), "g1", Instant.now()));
        }

        @Override
        public Identity addDeviceWithThumbprint(String deviceId, String thumbprint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Identity> find(String deviceId, Optional<String> moduleId) {
            return Optional.ofNullable(byName.get(moduleId.map(m -> deviceId + "/" + m).orElse(deviceId)));
        }

        @Override
        public boolean remove(String deviceId, Optional<String> moduleId) {
            return byName.remove(moduleId.map(m -> deviceId + "/" + m).orElse(deviceId)) != null;
        }

        @Override
        public List<Identity> list() {
            return List.copyOf(byName.values());
        }
    }
}
