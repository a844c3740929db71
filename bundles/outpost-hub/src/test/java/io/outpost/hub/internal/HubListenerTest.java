package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.common.SystemClock;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.StoredMessage;
import io.outpost.iothub.DialectServer;
import io.outpost.pki.Thumbprints;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.security.SasToken;
import io.outpost.testing.PahoClients;
import io.outpost.testing.TestCertificates;
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
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's MQTT listener end to end: the IoT Hub dialect server with the edge hub as host, a real store, router,
 * twin files and edge CA, and real clients (Eclipse Paho, MQTT 3.1.1 over TLS).
 */
@Tag("integration")
class HubListenerTest {

    private static final String HUB = "hub.example.net";
    private static final String DEVICE = "edge1";
    private static final String API = "/?api-version=2021-04-12";

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final FakeIdentities identities = new FakeIdentities();
    private final PahoClients clients = new PahoClients();
    private ArtemisMessageStore store;
    private Router router;
    private CertificateService certificates;
    private ThreadPoolExecutor worker;
    private DialectServer server;
    private ModuleInputDelivery delivery;
    private HubComponents hub;
    private int tlsPort;
    private Identity sensor;
    private Identity sink;
    private Identity other;
    private Path clientCaFile;

    @BeforeEach
    void start() throws Exception {
        store = StoreFixture.open(dir.resolve("store"), clock);
        router = new Router(store);
        router.putRoute(new RouteDefinition("up", "FROM /messages/modules/sensor/outputs/* INTO $upstream", 0, 0,
                RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("toSink", "FROM /messages/modules/sensor/outputs/out1 INTO "
                + "BrokeredEndpoint(\"/modules/sink/inputs/in1\")", 0, 0, RouteDefinition.FROM_SHELL));
        certificates = TestCertificates.edgeCa(dir.resolve("security"));
        sensor = identities.moduleIdentity(DEVICE, "sensor");
        sink = identities.moduleIdentity(DEVICE, "sink");
        other = identities.moduleIdentity(DEVICE, "other");
        clientCaFile = dir.resolve("client-ca.pem");
        Files.writeString(clientCaFile, "");
        tlsPort = freePort();
        startServer(MqttSettings.of("127.0.0.1", tlsPort, 0));
    }

    private void startServer(MqttSettings settings) throws Exception {
        EdgeTwins twins = new EdgeTwins(dir.resolve("twins"));
        worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000));
        EdgeAuthenticator authenticator = new EdgeAuthenticator(identities, SystemClock.INSTANCE, Optional.of(HUB),
                () -> ListenerComponent.trustedCas(certificates, clientCaFile.toString()));
        server = DialectServer.start(settings.dialect(certificates::serverKeyStore),
                new EdgeHost(authenticator, router, twins, worker, clock));
        hub = new HubComponents(server, worker, twins, DEVICE);
        delivery = new ModuleInputDelivery(DEVICE, () -> hub.listener);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        hub.deactivate();
        store.close();
    }

    // ---- telemetry and routing

    @Test
    void givenModuleWithValidToken_whenItPublishesTelemetry_thenRoutedToUpstreamWithItsProperties() throws Exception {
        MqttClient client = connect(sensor, token(sensor));

        client.publish("devices/" + DEVICE + "/modules/sensor/messages/events/"
                        + "%24.on=out2&%24.ct=application%2Fjson&%24.ce=utf-8&%24.mid=m-1&%24.cid=c-1&temp%20unit=C",
                qos1("{\"t\":21}"));

        // acknowledged means durable; the broker counts the message an instant later
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats(Endpoints.UPSTREAM).length() == 1);
        assertThat(StoreFixture.drain(store, Endpoints.UPSTREAM)).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21}");
            assertThat(m.systemProperties())
                    .containsEntry("contentType", "application/json")
                    .containsEntry("contentEncoding", "utf-8")
                    .containsEntry("messageId", "m-1")
                    .containsEntry("correlationId", "c-1")
                    .containsEntry("connectionModuleId", "sensor")
                    .containsEntry("connectionDeviceId", DEVICE)
                    .containsEntry("outputName", "out2");
            assertThat(m.properties()).containsExactlyEntriesOf(Map.of("temp unit", "C"));
        });
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void givenModuleRoutedToAnotherModule_whenTheTargetAcknowledges_thenTheStoreAcknowledgesOnlyAfterItsPuback()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient target = connect(sink, token(sink));
        target.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1, (topic, message) -> {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            release.await(30, TimeUnit.SECONDS); // Paho answers PUBACK once this returns
        });
        MqttClient source = connect(sensor, token(sensor));
        source.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=out1&%24.mid=x1&k=v",
                qos1("reading"));
        String endpoint = Endpoints.moduleInput("sink", "in1");
        List<StoredMessage> batch = store.poll(endpoint, 10, Duration.ofSeconds(5));
        assertThat(batch).hasSize(1);

        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> delivery.send(endpoint, batch.get(0)));
        String delivered = received.poll(10, TimeUnit.SECONDS);
        assertThat(delivered).startsWith("devices/" + DEVICE + "/modules/sink/inputs/in1/")
                .contains("%24.mid=x1").contains("%24.cmid=sensor").contains("%24.cdid=" + DEVICE)
                .contains("k=v").endsWith(" reading");
        // the module holds its PUBACK: the send must stay pending all that time, not just at one instant
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !send.isDone());

        release.countDown();
        send.get(10, TimeUnit.SECONDS);
        store.ack(endpoint, List.of(batch.get(0).id()));
        assertThat(store.stats(endpoint).length()).isZero();
    }

    @Test
    void givenLeafDevice_whenItPublishesTelemetry_thenRoutedToTheModuleInputAndDelivered() throws Exception {
        Identity leaf = identities.addDevice("leaf1");
        router.putRoute(new RouteDefinition("leaves", "FROM /messages/* WHERE $connectionDeviceId = 'leaf1' "
                + "INTO BrokeredEndpoint(\"/modules/sink/inputs/fromLeaf\")", 0, 0, RouteDefinition.FROM_SHELL));
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient target = connect(sink, token(sink));
        target.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1,
                (topic, message) -> received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        MqttClient client = connect(leaf, token(leaf));

        client.publish("devices/leaf1/messages/events/kind=reading", qos1("42"));

        String endpoint = Endpoints.moduleInput("sink", "fromLeaf");
        pump(endpoint);
        assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("devices/" + DEVICE + "/modules/sink/inputs/fromLeaf/")
                .contains("%24.cdid=leaf1").contains("kind=reading").endsWith(" 42");
        assertThat(store.stats(endpoint).length()).isZero();
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
    }

    @Test
    void givenTargetModuleNotConnectedOrNotSubscribed_whenDelivering_thenRetryableAndTheMessageStaysQueued()
            throws Exception {
        MqttClient source = connect(sensor, token(sensor));
        source.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=out1", qos1("m"));
        String endpoint = Endpoints.moduleInput("sink", "in1");
        StoredMessage m = store.poll(endpoint, 1, Duration.ofSeconds(5)).get(0);

        assertThatThrownBy(() -> delivery.send(endpoint, m)).isInstanceOfSatisfying(OutpostException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(HubErrorCode.ENDPOINT_UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
        });
        connect(sink, token(sink)); // connected, but not subscribed to its inputs
        // the server registers a connection just after its CONNACK goes out
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.list().stream()
                .anyMatch(c -> c.identity().equals(sink.name())));
        assertThatThrownBy(() -> delivery.send(endpoint, m)).isInstanceOf(OutpostException.class)
                .hasMessageContaining("no subscription");
        store.release(endpoint);
        assertThat(store.stats(endpoint).length()).isEqualTo(1);
    }

    // ---- twins

    @Test
    void givenModuleTwin_whenGetPatchAndDesiredChange_thenRoundTripsWithVersionsAndPersists() throws Exception {
        hub.applyDesired(Map.of("sink", "{\"threshold\":5,\"mode\":\"a\"}"), "d1");
        BlockingQueue<String> twinAnswers = new LinkedBlockingQueue<>();
        BlockingQueue<String> desired = new LinkedBlockingQueue<>();
        MqttClient client = connect(sink, token(sink));
        client.subscribe("$iothub/twin/res/#", 0,
                (topic, message) -> twinAnswers.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        client.subscribe("$iothub/twin/PATCH/properties/desired/#", 0,
                (topic, message) -> desired.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

        client.publish("$iothub/twin/GET/?$rid=1", qos1(""));
        assertThat(twinAnswers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/200/?$rid=1 "
                + "{\"desired\":{\"threshold\":5,\"mode\":\"a\",\"$version\":2},\"reported\":{\"$version\":1}}");

        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=2", qos1("{\"status\":\"ok\",\"n\":{\"a\":1}}"));
        assertThat(twinAnswers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=2&$version=2 ");
        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=3", qos1("{\"n\":{\"a\":null,\"b\":2}}"));
        assertThat(twinAnswers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=3&$version=3 ");
        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=4", qos1("[1,2]"));
        assertThat(twinAnswers.poll(10, TimeUnit.SECONDS)).startsWith("$iothub/twin/res/400/?$rid=4 ");

        hub.applyDesired(Map.of("sink", "{\"threshold\":7}"), "d2");
        assertThat(desired.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=3 "
                + "{\"threshold\":7,\"mode\":null,\"$version\":3}");
        hub.applyDesired(Map.of("sink", "{\"threshold\":7}"), "d3");

        assertThat(new EdgeTwins(dir.resolve("twins")).find(DEVICE + "/sink")).hasValue(
                "{\"desired\":{\"threshold\":7,\"$version\":3},\"reported\":{\"status\":\"ok\",\"n\":{\"b\":2},"
                        + "\"$version\":3}}");
        assertThat(hub.moduleTwin("sink")).isEqualTo(hub.twin(DEVICE + "/sink"));
        assertThat(hub.identities()).containsExactly(DEVICE + "/sink");
        assertThat(desired.poll(300, TimeUnit.MILLISECONDS)).as("no push for an unchanged twin").isNull();
    }

    /** A manifest as the cloud link builds it: both system twins and a module twin section. */
    static final String CLOUD_MANIFEST = """
            {"modulesContent": {
              "$edgeAgent": {"properties.desired": {"schemaVersion": "1.1",
                "runtime": {"type": "docker", "settings": {}},
                "systemModules": {
                  "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent", "createOptions": ""}},
                  "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                              "settings": {"image": "outpost/hub", "createOptions": ""}}},
                "modules": {"sink": {"version": "1.0", "type": "docker", "status": "running",
                  "restartPolicy": "always", "settings": {"image": "sink:1", "createOptions": ""}}}}},
              "$edgeHub": {"properties.desired": {"schemaVersion": "1.2", "routes": {},
                "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
              "sink": {"properties.desired": {"SendInterval": %d}}}}""";

    @Test
    void givenCloudManifestWithModuleTwin_whenTheDeploymentChanges_thenTheConnectedModuleGetsItsDesiredProperties()
            throws Exception {
        BlockingQueue<String> desired = new LinkedBlockingQueue<>();
        MqttClient client = connect(sink, token(sink));
        client.subscribe("$iothub/twin/PATCH/properties/desired/#", 0,
                (topic, message) -> desired.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

        hub.deploymentChanged(new DesiredState("7.5.2", String.format(CLOUD_MANIFEST, 5)
                .getBytes(StandardCharsets.UTF_8), "cloud"));
        assertThat(desired.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=2 "
                + "{\"SendInterval\":5,\"$version\":2}");
        hub.deploymentChanged(new DesiredState("7.5.3", String.format(CLOUD_MANIFEST, 2)
                .getBytes(StandardCharsets.UTF_8), "cloud"));

        assertThat(desired.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=3 "
                + "{\"SendInterval\":2,\"$version\":3}");
        assertThat(hub.moduleTwin("sink")).hasValue("{\"desired\":{\"SendInterval\":2,\"$version\":3},"
                + "\"reported\":{\"$version\":1}}");
    }

    @Test
    void givenLeafDeviceWithNoRoute_whenItReadsAndPatchesItsTwin_thenServed() throws Exception {
        Identity leaf = identities.addDevice("leaf2");
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        MqttClient client = connect(leaf, token(leaf));
        client.subscribe("$iothub/twin/res/#", 1, (t, m) -> answers.add(t + " " + new String(m.getPayload(),
                StandardCharsets.UTF_8)));

        client.publish("$iothub/twin/GET/?$rid=a", qos1(""));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo(
                "$iothub/twin/res/200/?$rid=a {\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=b", qos1("{\"fw\":\"1.0\"}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=b&$version=2 ");
        assertThat(hub.twin("leaf2")).hasValue("{\"desired\":{\"$version\":1},\"reported\":{\"fw\":\"1.0\",\"$version\":2}}");
    }

    @Test
    void givenConnectedLeaf_whenTheCloudSetsItsDesiredAndSendsC2d_thenPushedToItAndRefusedWhenAbsent()
            throws Exception {
        Identity leaf = identities.addDevice("leaf3");
        BlockingQueue<String> pushed = new LinkedBlockingQueue<>();
        MqttClient client = connect(leaf, token(leaf));
        client.subscribe("$iothub/twin/PATCH/properties/desired/#", 1, (t, m) -> pushed.add(t + " "
                + new String(m.getPayload(), StandardCharsets.UTF_8)));
        client.subscribe("devices/leaf3/messages/devicebound/#", 1, (t, m) -> pushed.add(t + " "
                + new String(m.getPayload(), StandardCharsets.UTF_8)));

        assertThat(hub.setLeafDesired("leaf3", "{\"interval\":5,\"$version\":7}")).hasValue(2);
        assertThat(pushed.poll(10, TimeUnit.SECONDS))
                .isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=2 {\"interval\":5,\"$version\":2}");
        assertThat(hub.setLeafDesired("leaf3", "{\"interval\":5}")).isEmpty();
        assertThat(hub.twin("leaf3")).hasValue("{\"desired\":{\"interval\":5,\"$version\":2},"
                + "\"reported\":{\"$version\":1}}");

        hub.send("leaf3", "on".getBytes(StandardCharsets.UTF_8), Map.of("messageId", "c-1", "color", "red"));
        assertThat(pushed.poll(10, TimeUnit.SECONDS)).startsWith("devices/leaf3/messages/devicebound/")
                .contains("%24.mid=c-1").contains("color=red").endsWith(" on");

        assertThatThrownBy(() -> hub.send("nobody", new byte[0], Map.of())).isInstanceOf(OutpostException.class)
                .hasMessageContaining("nobody");
        assertThatThrownBy(() -> hub.setLeafDesired(DEVICE, "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deviceId:");
    }

    // ---- twin change notifications

    @Test
    void givenTwinChangeRoutes_whenAModulePatchesReported_thenAnotherModuleGetsTheNotificationAndUpstreamQueuesIt()
            throws Exception {
        router.putRoute(new RouteDefinition("twinUp", "FROM /twinChangeNotifications INTO $upstream", 0, 0,
                RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("twinStatus", "FROM /twinChangeNotifications WHERE "
                + "twin_change_includes(properties.reported.status) "
                + "INTO BrokeredEndpoint(\"/modules/sink/inputs/twin\")",
                0, 0, RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("messages", "FROM /messages/* INTO "
                + "BrokeredEndpoint(\"/modules/sink/inputs/messages\")", 0, 0, RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("byBody", "FROM /twinChangeNotifications WHERE $connectionModuleId = "
                + "'sensor' AND $connectionDeviceId = '" + DEVICE + "' AND $body.properties.reported.n.a = 2 INTO "
                + "BrokeredEndpoint(\"/modules/sink/inputs/body\")", 0, 0, RouteDefinition.FROM_SHELL));
        String bodyInput = Endpoints.moduleInput("sink", "body");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient target = connect(sink, token(sink));
        target.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1, (topic, message) ->
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        MqttClient source = connect(sensor, token(sensor));
        BlockingQueue<String> answers = twinAnswers(source);

        source.publish("$iothub/twin/PATCH/properties/reported/?$rid=1", qos1("{\"status\":\"ok\",\"n\":{\"a\":1}}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=1&$version=2 ");

        String twinInput = Endpoints.moduleInput("sink", "twin");
        pump(twinInput);
        String delivered = received.poll(10, TimeUnit.SECONDS);
        assertThat(delivered).startsWith("devices/" + DEVICE + "/modules/sink/inputs/twin/")
                .contains("%24.cdid=" + DEVICE).contains("%24.cmid=sensor").contains("%24.ct=application%2Fjson")
                .contains("%24.ce=utf-8").contains("%24.messageSchema=twinChangeNotification")
                .contains("%24.messageType=twinChangeNotification")
                .endsWith(" {\"version\":2,\"properties\":{\"reported\":{\"status\":\"ok\",\"n\":{\"a\":1}}}}");
        assertThat(StoreFixture.drain(store, Endpoints.UPSTREAM)).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"version\":2,\"properties\":{\"reported\":{\"status\":\"ok\",\"n\":{\"a\":1}}}}");
            assertThat(m.systemProperties())
                    .containsEntry("connectionDeviceId", DEVICE)
                    .containsEntry("connectionModuleId", "sensor")
                    .containsEntry("messageSchema", "twinChangeNotification")
                    .containsEntry("messageType", "twinChangeNotification")
                    .containsEntry("contentType", "application/json")
                    .containsEntry("contentEncoding", "utf-8")
                    .containsEntry("enqueuedTime", clock.now().toString())
                    .doesNotContainKey("outputName");
            assertThat(m.properties()).isEmpty();
        });
        assertThat(store.stats(Endpoints.moduleInput("sink", "messages")).length())
                .as("a route FROM /messages/* does not take twin change notifications").isZero();
        assertThat(store.stats(bodyInput).length()).isZero();

        // twin_change_includes filters: a patch without status, and one removing it (null), are not delivered
        source.publish("$iothub/twin/PATCH/properties/reported/?$rid=2", qos1("{\"n\":{\"a\":2}}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=2&$version=3 ");
        source.publish("$iothub/twin/PATCH/properties/reported/?$rid=3", qos1("{\"status\":null}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=3&$version=4 ");
        assertThat(store.stats(twinInput).length()).isZero();
        assertThat(StoreFixture.drain(store, bodyInput)).as("$body and the sender's ids select the second patch")
                .extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                .containsExactly("{\"version\":3,\"properties\":{\"reported\":{\"n\":{\"a\":2}}}}");
        assertThat(StoreFixture.drain(store, Endpoints.UPSTREAM)).extracting(m -> new String(m.body(),
                StandardCharsets.UTF_8)).containsExactly(
                "{\"version\":3,\"properties\":{\"reported\":{\"n\":{\"a\":2}}}}",
                "{\"version\":4,\"properties\":{\"reported\":{\"status\":null}}}");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void givenTwinChangeRoute_whenALeafPatchesAndPatchesAreRefusedOrDesiredChanges_thenOnlyAcceptedPatchesNotify()
            throws Exception {
        router.putRoute(new RouteDefinition("twinToSink", "FROM /twinChangeNotifications INTO "
                + "BrokeredEndpoint(\"/modules/sink/inputs/twin\")", 0, 0, RouteDefinition.FROM_SHELL));
        String twinInput = Endpoints.moduleInput("sink", "twin");
        Identity leaf = identities.addDevice("leaf4");
        MqttClient client = connect(leaf, token(leaf));
        BlockingQueue<String> answers = twinAnswers(client);

        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=a", qos1("[1,2]"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).startsWith("$iothub/twin/res/400/?$rid=a ");
        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=b", qos1("{\"$fw\":\"1.0\"}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).startsWith("$iothub/twin/res/400/?$rid=b ");
        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=c",
                qos1("{\"blob\":\"" + "x".repeat(EdgeTwins.MAX_SECTION_BYTES) + "\"}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).startsWith("$iothub/twin/res/413/?$rid=c ");
        hub.applyDesired(Map.of("sink", "{\"threshold\":5}"), "d1");
        assertThat(hub.setLeafDesired("leaf4", "{\"interval\":5}")).hasValue(2);
        assertThat(store.stats(twinInput).length()).as("refused patches and desired changes emit nothing").isZero();

        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=d", qos1("{\"fw\":\"2.0\"}"));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("$iothub/twin/res/204/?$rid=d&$version=2 ");
        assertThat(StoreFixture.drain(store, twinInput)).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"version\":2,\"properties\":{\"reported\":{\"fw\":\"2.0\"}}}");
            assertThat(m.systemProperties()).containsEntry("connectionDeviceId", "leaf4")
                    .doesNotContainKey("connectionModuleId")
                    .containsEntry("messageSchema", "twinChangeNotification");
        });
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
    }

    @Test
    void givenFullStore_whenAModulePatchesReportedWithATwinChangeRoute_thenRefused429AndTheTwinUnchanged()
            throws Exception {
        hub.deactivate();
        store.close();
        store = StoreFixture.open(dir.resolve("small"), clock, 64, io.outpost.hub.FullPolicy.REJECT);
        router = new Router(store);
        router.putRoute(new RouteDefinition("twinUp", "FROM /twinChangeNotifications INTO $upstream", 0, 0,
                RouteDefinition.FROM_SHELL));
        tlsPort = freePort();
        startServer(MqttSettings.of("127.0.0.1", tlsPort, 0));
        MqttClient client = connect(sensor, token(sensor));
        BlockingQueue<String> answers = twinAnswers(client);

        client.publish("$iothub/twin/PATCH/properties/reported/?$rid=1", qos1("{\"status\":\"" + "s".repeat(100)
                + "\"}"));

        assertThat(answers.poll(10, TimeUnit.SECONDS)).startsWith("$iothub/twin/res/429/?$rid=1 ");
        assertThat(hub.twin(DEVICE + "/sensor")).isEmpty();
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
        assertThat(client.isConnected()).isTrue();
    }

    private static BlockingQueue<String> twinAnswers(MqttClient client) throws MqttException {
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        client.subscribe("$iothub/twin/res/#", 1, (t, m) -> answers.add(t + " " + new String(m.getPayload(),
                StandardCharsets.UTF_8)));
        return answers;
    }

    // ---- direct methods

    @Test
    void givenModuleSubscribedToMethods_whenInvoked_thenItsAnswerReturnsAndAbsentOrSilentTargetsAnswer404Or504()
            throws Exception {
        MqttClient client = connect(sink, token(sink));
        client.subscribe("$iothub/methods/POST/#", 0, (topic, message) -> {
            String rid = topic.substring(topic.indexOf("$rid=") + 5);
            String name = topic.split("/")[3];
            if (!name.equals("silent")) {
                String payload = "{\"echo\":" + new String(message.getPayload(), StandardCharsets.UTF_8) + ",\"name\":\""
                        + name + "\"}";
                new Thread(() -> {
                    try {
                        client.publish("$iothub/methods/res/201/?$rid=" + rid, qos1(payload));
                    } catch (MqttException e) {
                        throw new IllegalStateException(e);
                    }
                }).start();
            }
        });

        MethodInvoker.MethodResponse answer = hub.invoke(DEVICE, Optional.of("sink"), "reboot", "{\"delay\":1}",
                Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.payloadJson()).isEqualTo("{\"echo\":{\"delay\":1},\"name\":\"reboot\"}");

        assertThat(hub.invoke(DEVICE, Optional.of("sensor"), "reboot", "{}", Duration.ofSeconds(5)).status())
                .isEqualTo(404);
        long start = System.nanoTime();
        assertThat(hub.invoke(DEVICE, Optional.of("sink"), "silent", "{}", Duration.ofSeconds(1)).status())
                .isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> hub.invoke(DEVICE, Optional.of("sink"), "reboot", "{not json", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload");
    }

    @Test
    void givenConnectedClients_whenListed_thenIdentityProtocolAddressAndSince() throws Exception {
        connect(sensor, token(sensor));
        connect(sink, token(sink)).subscribe("$iothub/methods/POST/#", 0);

        List<ClientConnection> list = hub.list();
        assertThat(list).extracting(ClientConnection::identity).containsExactly(DEVICE + "/sensor", DEVICE + "/sink");
        assertThat(list.get(1).protocol()).isEqualTo("MQTT 3.1.1");
        assertThat(list.get(1).tls()).isTrue();
        assertThat(list.get(1).remoteAddress()).startsWith("127.0.0.1:");
        assertThat(list.get(1).subscriptions()).containsExactly("$iothub/methods/POST/#");
        assertThat(list.get(1).connectedSince()).isBefore(Instant.now().plusSeconds(1));
    }

    // ---- security refusals

    @Test
    void givenTokenSignedWithAnotherKey_whenConnecting_thenNotAuthorized() {
        assertRefused(sensor, SasToken.create(sensor.resource(HUB), FakeIdentities.randomKey(),
                Instant.now().plusSeconds(3600)));
    }

    @Test
    void givenExpiredToken_whenConnecting_thenNotAuthorized() {
        assertRefused(sensor, SasToken.create(sensor.resource(HUB), sensor.primaryKey().orElseThrow(),
                Instant.now().minusSeconds(60)));
    }

    @Test
    void givenTokenForAnotherResourceOrHub_whenConnecting_thenNotAuthorized() {
        assertRefused(sensor, SasToken.create(other.resource(HUB), sensor.primaryKey().orElseThrow(),
                Instant.now().plusSeconds(3600)));
        assertRefused(sensor, SasToken.create(sensor.resource("other-hub.example.net"),
                sensor.primaryKey().orElseThrow(), Instant.now().plusSeconds(3600)));
    }

    @Test
    void givenUserNameOfAnotherHub_whenConnectingWithItsToken_thenNotAuthorized() throws Exception {
        MqttClient client = client(sensor.name(), tlsPort, true);
        String foreign = "other-hub.example.net";
        MqttConnectOptions options = tls(options(foreign + "/" + sensor.name() + API, SasToken.create(
                sensor.resource(foreign), sensor.primaryKey().orElseThrow(), Instant.now().plusSeconds(3600))));
        assertThatThrownBy(() -> client.connect(options)).isInstanceOf(MqttSecurityException.class);
    }

    @Test
    void givenUnknownIdentityOrGarbage_whenConnecting_thenNotAuthorized() {
        Identity ghost = new Identity(DEVICE, Optional.of("ghost"), Identity.AuthType.SAS,
                Optional.of(FakeIdentities.randomKey()), Optional.empty(), "g1", Instant.now());
        assertRefused(ghost, token(ghost));
        assertRefused(sensor, "not a token");
    }

    @Test
    void givenClientIdOfAnotherModule_whenConnectingWithValidToken_thenNotAuthorized() throws Exception {
        MqttClient client = client(DEVICE + "/other", tlsPort, true);
        MqttConnectOptions options = tls(options(HUB + "/" + DEVICE + "/sensor" + API, token(sensor)));

        assertThatThrownBy(() -> client.connect(options)).isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    @Test
    void givenConnectedModule_whenItPublishesAsAnotherModule_thenConnectionClosedAndNothingRouted() throws Exception {
        MqttClient client = connect(sensor, token(sensor));

        assertThatThrownBy(() -> client.publish("devices/" + DEVICE + "/modules/other/messages/events/", qos1("x")))
                .isInstanceOf(MqttException.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
        assertThat(store.stats(Endpoints.UPSTREAM).length()).isZero();
    }

    @Test
    void givenConnectedModule_whenItPublishesOnAnArbitraryTopic_thenConnectionClosed() throws Exception {
        MqttClient client = connect(sensor, token(sensor));

        assertThatThrownBy(() -> client.publish("some/other/topic", qos1("x"))).isInstanceOf(MqttException.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
    }

    @Test
    void givenConnectedModule_whenItSubscribesToAnotherModulesTopicsOrEverything_thenRefusedAndOwnGranted()
            throws Exception {
        MqttClient client = connect(sensor, token(sensor));

        int[] granted = grant(client, new String[] {
            "devices/" + DEVICE + "/modules/other/inputs/#",
            "devices/" + DEVICE + "/modules/other/#",
            "devices/+/modules/sensor/inputs/#",
            "#",
            "devices/" + DEVICE + "/modules/sensor/inputs/#",
            "$iothub/twin/res/#"});

        assertThat(granted).containsExactly(0x80, 0x80, 0x80, 0x80, 1, 1);
        assertThat(client.isConnected()).isTrue();
        assertThat(hub.list().get(0).subscriptions())
                .containsExactlyInAnyOrder("devices/" + DEVICE + "/modules/sensor/inputs/#", "$iothub/twin/res/#");
    }

    @Test
    void givenPlainTextClient_whenConnectingToTheTlsPort_thenRefused() throws Exception {
        MqttClient client = client(sensor.name(), tlsPort, false);
        MqttConnectOptions options = options(HUB + "/" + sensor.name() + API, token(sensor));
        options.setConnectionTimeout(5);

        assertThatThrownBy(() -> client.connect(options)).isInstanceOf(MqttException.class);
        assertThat(hub.list()).isEmpty();
    }

    @Test
    void givenTokenThatExpiresSoon_whenConnected_thenClosedAtExpiry() throws Exception {
        MqttClient client = connect(sensor, SasToken.create(sensor.resource(HUB), sensor.primaryKey().orElseThrow(),
                Instant.now().plusSeconds(2)));
        assertThat(client.isConnected()).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> !client.isConnected());
        assertThat(hub.list()).isEmpty();
    }

    // ---- X.509 leaf devices

    @Test
    void givenCaDevice_whenItsCertificateChainsToATrustedCa_thenAcceptedElseRefused() throws Exception {
        TestPki.Issued trustedCa = TestPki.ca("Operator CA");
        Files.writeString(clientCaFile, TestPki.pem(trustedCa.certificate()));
        identities.addCaDevice("cam1");

        MqttClient good = client("cam1", tlsPort, true);
        good.connect(x509(HUB + "/cam1" + API, TestPki.leaf("cam1", trustedCa)));
        good.publish("devices/cam1/messages/events/", qos1("frame"));
        assertThat(hub.list()).extracting(ClientConnection::identity).contains("cam1");

        TestPki.Issued untrusted = TestPki.ca("Rogue CA");
        MqttClient rogue = client("cam1", tlsPort, true);
        assertThatThrownBy(() -> rogue.connect(x509(HUB + "/cam1" + API, TestPki.leaf("cam1", untrusted))))
                .isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        MqttClient wrongName = client("cam1", tlsPort, true);
        assertThatThrownBy(() -> wrongName.connect(x509(HUB + "/cam1" + API, TestPki.leaf("cam2", trustedCa))))
                .isInstanceOf(MqttSecurityException.class);
    }

    @Test
    void givenCaDevice_whenItsCertificateLacksClientAuthUsage_thenRefused() throws Exception {
        TestPki.Issued trustedCa = TestPki.ca("Operator CA");
        Files.writeString(clientCaFile, TestPki.pem(trustedCa.certificate()));
        identities.addCaDevice("cam1");

        MqttClient serverOnly = client("cam1", tlsPort, true);
        assertThatThrownBy(() -> serverOnly.connect(x509(HUB + "/cam1" + API, TestPki.leaf("cam1", trustedCa, false))))
                .isInstanceOf(MqttSecurityException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(hub.list()).extracting(ClientConnection::identity).doesNotContain("cam1");
    }

    @Test
    void givenDeviceRegisteredWithSha1Thumbprint_whenItPresentsThatCertificate_thenAccepted() throws Exception {
        TestPki.Issued own = TestPki.selfSigned("therm2");
        String sha1 = java.util.HexFormat.of().withUpperCase().formatHex(
                java.security.MessageDigest.getInstance("SHA-1").digest(own.certificate().getEncoded()));
        identities.addDeviceWithThumbprint("therm2", sha1);

        MqttClient client = client("therm2", tlsPort, true);
        client.connect(x509(HUB + "/therm2" + API, own));
        assertThat(client.isConnected()).isTrue();
        client.disconnect();
    }

    @Test
    void givenThumbprintDevice_whenItPresentsThatCertificate_thenAcceptedAndAnotherRefused() throws Exception {
        TestPki.Issued own = TestPki.selfSigned("therm1");
        identities.addDeviceWithThumbprint("therm1", Thumbprints.sha256(own.certificate()));

        MqttClient client = client("therm1", tlsPort, true);
        client.connect(x509(HUB + "/therm1" + API, own));
        assertThat(client.isConnected()).isTrue();
        client.disconnect();

        MqttClient impostor = client("therm1", tlsPort, true);
        assertThatThrownBy(() -> impostor.connect(x509(HUB + "/therm1" + API, TestPki.selfSigned("therm1"))))
                .isInstanceOf(MqttSecurityException.class);
    }

    // ---- listeners

    @Test
    void givenDefaultSettings_thenListenerBoundToLoopbackOnly() throws Exception {
        for (InetAddress address : nonLoopbackAddresses()) {
            assertThat(accepts(address, tlsPort)).as("connect to %s:%d", address, tlsPort).isFalse();
        }
        assertThat(accepts(InetAddress.getByName("127.0.0.1"), tlsPort)).isTrue();
    }

    @Test
    void givenPlainPortAndWildcardHost_thenPlainListenerOnLoopbackOnlyAndAuthenticated() throws Exception {
        hub.deactivate();
        int plain = freePort();
        startServer(MqttSettings.of("0.0.0.0", 0, plain));

        for (InetAddress address : nonLoopbackAddresses()) {
            assertThat(accepts(address, plain)).as("connect to %s:%d", address, plain).isFalse();
        }
        MqttClient refused = client(sensor.name(), plain, false);
        assertThatThrownBy(() -> refused.connect(options(HUB + "/" + sensor.name() + API, "not a token")))
                .isInstanceOf(MqttSecurityException.class);
        MqttClient client = client(sensor.name(), plain, false);
        client.connect(options(HUB + "/" + sensor.name() + API, token(sensor)));
        client.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=o", qos1("plain"));
        // acknowledged means durable; the broker counts the message an instant later
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats(Endpoints.UPSTREAM).length() == 1);
        assertThat(hub.list().get(0).tls()).isFalse();
    }

    // ---- helpers

    /** Delivers an endpoint's queue through the module-input sender, as the hub's pump does. */
    private void pump(String endpoint) throws Exception {
        List<StoredMessage> batch = store.poll(endpoint, 10, Duration.ofSeconds(5));
        assertThat(batch).isNotEmpty();
        for (StoredMessage m : batch) {
            delivery.send(endpoint, m);
        }
        store.ack(endpoint, batch.stream().map(StoredMessage::id).toList());
    }

    private static int[] grant(MqttClient client, String[] filters) throws MqttException {
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        try {
            return client.subscribeWithResponse(filters, qos).getGrantedQos();
        } catch (MqttException e) {
            throw new AssertionError("subscribe failed: " + e.getReasonCode(), e);
        }
    }

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
        return clients.create((tls ? "ssl" : "tcp") + "://127.0.0.1:" + port, clientId);
    }

    private static MqttConnectOptions options(String username, String password) {
        return PahoClients.options(username, password);
    }

    private MqttConnectOptions tls(MqttConnectOptions options) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(edgeTrust());
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        options.setSocketFactory(context.getSocketFactory());
        return options;
    }

    private MqttConnectOptions x509(String username, TestPki.Issued certificate) throws Exception {
        MqttConnectOptions options = options(username, null);
        options.setSocketFactory(TestPki.clientContext(edgeTrust(), certificate).getSocketFactory());
        return options;
    }

    private KeyStore edgeTrust() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(certificates.trustBundlePem().getBytes(StandardCharsets.US_ASCII)))) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        return trust;
    }

    private static MqttMessage qos1(String body) {
        return PahoClients.qos1(body);
    }

    private static String token(Identity identity) {
        return SasToken.create(identity.resource(HUB), identity.primaryKey().orElseThrow(),
                Instant.now().plusSeconds(3600));
    }

    static int freePort() throws IOException {
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
}
