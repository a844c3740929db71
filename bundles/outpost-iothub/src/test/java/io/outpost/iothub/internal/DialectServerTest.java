package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import io.outpost.iothub.IotMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dialect server alone, on its plain loopback listener, with a test host: MQTT 5 (Paho mqttv5), cloud-to-device
 * delivery, refusals with MQTT 5 reason codes, and Debian's mosquitto clients as a module and as a leaf device.
 */
@Tag("integration")
class DialectServerTest {

    private final TestHost host = new TestHost();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private DialectServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = freePort();
        server = DialectServer.start(DialectSettings.defaults().withPlainPort(port)
                .withDeliveryTimeout(Duration.ofSeconds(5)), host);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                // already gone
            }
        }
        server.close();
    }

    @Test
    void givenMqtt5Client_whenConnectingAndPublishing_thenServedWithMqtt5ReasonCodes() throws Exception {
        MqttAsyncClient client = v5("edge1/sensor");

        IMqttToken sent = client.publish("devices/edge1/modules/sensor/messages/events/%24.on=out1&%24.mid=5&a=b",
                v5Message("hello", 1));
        sent.waitForCompletion(5000);
        assertThat(sent.getReasonCodes()).containsExactly(0);

        TestHost.Received got = host.telemetry.poll(5, TimeUnit.SECONDS);
        assertThat(got.identity()).isEqualTo(ClientIdentity.module("edge1", "sensor"));
        assertThat(got.message().systemProperties()).containsEntry("outputName", "out1")
                .containsEntry("messageId", "5");
        assertThat(got.message().properties()).containsExactlyEntriesOf(Map.of("a", "b"));
        assertThat(server.clients()).singleElement().satisfies(c -> assertThat(c.protocol()).isEqualTo("MQTT 5"));

        IMqttToken sub = client.subscribe(new MqttSubscription[] {
            new MqttSubscription("devices/edge1/modules/other/inputs/#", 1),
            new MqttSubscription("devices/edge1/modules/sensor/inputs/#", 1)}, null, null, new MqttProperties());
        sub.waitForCompletion(5000);
        assertThat(sub.getReasonCodes()).containsExactly(0x87, 1);

        IMqttToken refused = client.publish("devices/edge1/modules/other/messages/events/",
                v5Message("x", 1));
        refused.waitForCompletion(5000);
        assertThat(refused.getReasonCodes()).containsExactly(0x87);
        assertThat(client.isConnected()).as("MQTT 5 refuses a PUBLISH with PUBACK 0x87 and stays connected").isTrue();
        assertThat(host.telemetry.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void givenMqtt5ClientWithWrongPassword_whenConnecting_thenNotAuthorized0x87() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + port, "edge1/sensor", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        closing.add(client::close);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(TestHost.username("edge1/sensor"));
        options.setPassword("wrong".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> client.connect(options))
                .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class)
                .extracting(e -> ((org.eclipse.paho.mqttv5.common.MqttException) e).getReasonCode())
                .isEqualTo(0x87);
    }

    @Test
    void givenDeviceSubscribedToC2d_whenDelivered_thenCompletesOnItsPubackAndFailsFastOtherwise() throws Exception {
        assertThatThrownBy(() -> server.deliverC2D("leaf1", IotMessage.of(new byte[0])).toCompletableFuture().get())
                .hasCauseInstanceOf(DialectException.class);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient leaf = v3("leaf1");
        leaf.subscribe("devices/leaf1/messages/devicebound/#", 1, (topic, m) -> got.add(topic + " "
                + new String(m.getPayload(), StandardCharsets.UTF_8)));

        server.deliverC2D("leaf1", new IotMessage(Map.of(IotMessage.MESSAGE_ID, "c2d-1"), Map.of("k", "v w"),
                "open".getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("devices/leaf1/messages/devicebound/%24.mid=c2d-1&k=v%20w open");
    }

    /**
     * Windowed delivery: a module announcing Receive Maximum 3 has at most 3 deliveries awaiting its PUBACK; the
     * next ones wait, in order, and go out as PUBACKs come; beyond the waiting room (maxInflightOut) a delivery
     * fails at once with 429.
     */
    @Test
    void givenMqtt5ModuleWithReceiveMaximum3_whenManyDelivered_thenThreeInFlightTheRestInOrderAsAcksCome()
            throws Exception {
        MqttAsyncClient module = new MqttAsyncClient("tcp://127.0.0.1:" + port, "edge1/sink",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        closing.add(() -> {
            if (module.isConnected()) {
                module.disconnectForcibly(100, 1000, false);
            }
            module.close(true);
        });
        BlockingQueue<MqttMessage> arrived = new LinkedBlockingQueue<>();
        module.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived.add(message);
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        module.setManualAcks(true);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(TestHost.username("edge1/sink"));
        options.setPassword(TestHost.password("edge1/sink").getBytes(StandardCharsets.UTF_8));
        options.setReceiveMaximum(3);
        module.connect(options).waitForCompletion(10_000);
        module.subscribe(new MqttSubscription("devices/edge1/modules/sink/inputs/#", 1)).waitForCompletion(5000);

        int waitingRoom = DialectSettings.defaults().maxInflightOut();
        List<CompletableFuture<Void>> deliveries = new ArrayList<>();
        for (int i = 0; i < 3 + waitingRoom + 1; i++) {
            deliveries.add(server.deliverInput(ClientIdentity.module("edge1", "sink"), "in",
                    IotMessage.of(("m" + i).getBytes(StandardCharsets.UTF_8))).toCompletableFuture());
        }
        assertThatThrownBy(() -> deliveries.get(3 + waitingRoom).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(DialectException.class,
                        e -> assertThat(e.status()).isEqualTo(DialectException.BUSY));

        int total = 3 + waitingRoom;
        List<MqttMessage> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            received.add(arrived.poll(10, TimeUnit.SECONDS));
        }
        assertThat(received).doesNotContainNull();
        assertThat(arrived.poll(500, TimeUnit.MILLISECONDS)).as("a fourth before any PUBACK").isNull();
        assertThat(deliveries.get(0)).isNotDone();
        for (int i = 3; i < total; i++) {
            module.messageArrivedComplete(received.get(i - 3).getId(), 1);
            deliveries.get(i - 3).get(10, TimeUnit.SECONDS);
            MqttMessage next = arrived.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("delivery %d after the PUBACK of %d", i, i - 3).isNotNull();
            received.add(next);
        }
        for (int i = total - 3; i < total; i++) {
            module.messageArrivedComplete(received.get(i).getId(), 1);
        }
        CompletableFuture.allOf(deliveries.subList(0, total).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
        assertThat(received).extracting(m -> new String(m.getPayload(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, total).mapToObj(i -> "m" + i).toList());
    }

    /**
     * Flow control by bytes: with the host slow to take telemetry, a client sending 256 KiB messages with many in
     * flight has at most about 1 MiB of them in processing (reading from it pauses), not 16 x 256 KiB; once the host
     * takes them every one is acknowledged.
     */
    @Test
    void givenLargeMessagesAndASlowHost_whenPublishedWithManyInFlight_thenAboutOneMebibyteIsInProcessing()
            throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        host.telemetryGate = gate;
        org.eclipse.paho.client.mqttv3.MqttAsyncClient client = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                "tcp://127.0.0.1:" + port, "leaf9", new MemoryPersistence());
        closing.add(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 1000);
            }
            client.close(true);
        });
        MqttConnectOptions options = v3Options("leaf9");
        options.setMaxInflight(64);
        client.connect(options).waitForCompletion(10_000);
        byte[] body = new byte[256 * 1024 - 512];
        List<org.eclipse.paho.client.mqttv3.IMqttDeliveryToken> sent = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sent.add(client.publish("devices/leaf9/messages/events/", body, 1, false));
        }

        // four payloads stay just under 1 MiB, the fifth crosses it: reading pauses while the host holds them (one
        // more may already have been decoded from the bytes read with it)
        await().atMost(Duration.ofSeconds(10)).until(() -> host.telemetry.size() >= 5);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> host.telemetry.size() <= 6);
        assertThat(sent).noneMatch(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken::isComplete);

        host.telemetryGate = null;
        gate.complete(null);
        for (org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token : sent) {
            token.waitForCompletion(10_000);
        }
        assertThat(host.telemetry).hasSize(16);
    }

    @Test
    void givenModuleThatNeverAcknowledges_whenDelivered_thenTimesOutWith504() throws Exception {
        MqttClient module = v3("edge1/slow");
        module.setManualAcks(true);
        module.subscribe("devices/edge1/modules/slow/inputs/#", 1, (t, m) -> { });

        CompletableFuture<Void> delivery = server.deliverInput(ClientIdentity.module("edge1", "slow"), "in",
                IotMessage.of(new byte[] {1})).toCompletableFuture();

        assertThatThrownBy(() -> delivery.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(DialectException.class,
                        e -> assertThat(e.status()).isEqualTo(DialectException.TIMEOUT));
    }

    @Test
    void givenClientPublishingQos2_whenServed_thenDisconnected() throws Exception {
        MqttClient client = v3("edge1/sensor");
        org.eclipse.paho.client.mqttv3.MqttMessage m = new org.eclipse.paho.client.mqttv3.MqttMessage(new byte[] {1});
        m.setQos(2);
        try {
            client.publish("devices/edge1/modules/sensor/messages/events/", m);
        } catch (MqttException e) {
            // the connection is closed under the publish
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.isConnected());
        assertThat(host.telemetry).isEmpty();
    }

    @Test
    void givenMosquittoClients_asModuleAndLeafDevice_thenTelemetryInputsAndC2dWork() throws Exception {
        Process sub = mosquitto("mosquitto_sub", "edge1/sink", "-t", "devices/edge1/modules/sink/inputs/#",
                "-q", "1", "-C", "1", "-v");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.clients().stream()
                .anyMatch(c -> c.identity().name().equals("edge1/sink") && !c.subscriptions().isEmpty()));
        server.deliverInput(ClientIdentity.module("edge1", "sink"), "in1",
                new IotMessage(Map.of(), Map.of("a", "1"), "to-sink".getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(output(sub)).isEqualTo("devices/edge1/modules/sink/inputs/in1/a=1 to-sink");

        Process pub = mosquitto("mosquitto_pub", "edge1/sensor", "-t",
                "devices/edge1/modules/sensor/messages/events/%24.on=out1", "-m", "from-module", "-q", "1");
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).isZero();
        TestHost.Received module = host.telemetry.poll(5, TimeUnit.SECONDS);
        assertThat(module.identity()).isEqualTo(ClientIdentity.module("edge1", "sensor"));
        assertThat(module.message().systemProperties()).containsEntry("outputName", "out1");

        Process leafPub = mosquitto("mosquitto_pub", "leaf1", "-t", "devices/leaf1/messages/events/", "-m",
                "from-leaf", "-q", "1");
        assertThat(leafPub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(host.telemetry.poll(5, TimeUnit.SECONDS).identity()).isEqualTo(ClientIdentity.device("leaf1"));

        Process refused = mosquitto("mosquitto_pub", "leaf1", "-t", "devices/leaf2/messages/events/", "-m", "x",
                "-q", "1");
        assertThat(refused.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(host.telemetry.poll(300, TimeUnit.MILLISECONDS)).isNull();

        Process c2d = mosquitto("mosquitto_sub", "leaf1", "-t", "devices/leaf1/messages/devicebound/#", "-q", "1",
                "-C", "1", "-v");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.clients().stream()
                .anyMatch(c -> c.identity().name().equals("leaf1") && !c.subscriptions().isEmpty()));
        server.deliverC2D("leaf1", IotMessage.of("cmd".getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(output(c2d)).isEqualTo("devices/leaf1/messages/devicebound/ cmd");

        // twin answers go to the connection that asked: mosquitto_rr (one connection, subscribed to the exact answer
        // topic, as it allows no wildcard) below; a method is answered
        // on the connection it was sent to, which a mosquitto_sub/mosquitto_pub pair cannot do (Paho: HubListenerTest)
    }

    @Test
    void givenMosquittoRr_asModule_thenTwinGetAndReportedPatchAreAnsweredOnItsConnection() throws Exception {
        Process get = mosquitto("mosquitto_rr", "edge1/sensor", "-V", "mqttv5", "-q", "1", "-W", "10",
                "-t", "$iothub/twin/GET/?$rid=7", "-e", "$iothub/twin/res/200/?$rid=7", "-n", "-v");
        assertThat(output(get)).isEqualTo("$iothub/twin/res/200/?$rid=7 {\"desired\":{\"$version\":1},"
                + "\"reported\":{\"$version\":1}}");

        Process patch = mosquitto("mosquitto_rr", "edge1/sensor", "-V", "mqttv5", "-q", "1", "-W", "10",
                "-t", "$iothub/twin/PATCH/properties/reported/?$rid=8", "-e", "$iothub/twin/res/204/?$rid=8&$version=2",
                "-m", "{\"temperature\":21.5}", "-v");
        assertThat(output(patch)).isEqualTo("$iothub/twin/res/204/?$rid=8&$version=2 (null)"); // an empty body
    }

    // ---- helpers

    private Process mosquitto(String tool, String clientId, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-i", clientId, "-u", TestHost.username(clientId), "-P", TestHost.password(clientId)));
        command.addAll(List.of(args));
        if (!command.contains("-V")) {
            command.addAll(List.of("-V", "mqttv311"));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        closing.add(p::destroyForcibly);
        return p;
    }

    private static String output(Process p) throws Exception {
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("the mosquitto client exits").isTrue();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            return r.readLine();
        }
    }

    private MqttClient v3(String clientId) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        closing.add(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 1000);
            }
            client.close(true);
        });
        client.connect(v3Options(clientId));
        return client;
    }

    private static MqttConnectOptions v3Options(String clientId) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(TestHost.username(clientId));
        options.setPassword(TestHost.password(clientId).toCharArray());
        return options;
    }

    private MqttAsyncClient v5(String clientId) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(
                "tcp://127.0.0.1:" + port, clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        closing.add(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 1000, false);
            }
            client.close(true);
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(TestHost.username(clientId));
        options.setPassword(TestHost.password(clientId).getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    private static MqttMessage v5Message(String body, int qos) {
        MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        return m;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
