package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Authenticated clients that try to make the server hold their messages: 20 real Paho clients, each with 16 QoS 1
 * PUBLISHes of (nearly) 256 KiB in flight, against a host that does not finish taking telemetry (a store that
 * stalls). The server takes at most {@link Connection#MAX_INFLIGHT_IN_BYTES} of payload (plus the one PUBLISH that
 * crosses it) per client and stops reading from it; once the host catches up, every message goes through.
 */
@Tag("integration")
class InflightFloodTest {

    private static final int CLIENTS = 20;
    private static final int IN_FLIGHT = 16;
    private static final int BODY = DialectSettings.DEFAULT_MAX_PACKET_BYTES - 1024;

    private final TestHost host = new TestHost();
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private DialectServer server;

    @BeforeEach
    void start() throws Exception {
        server = DialectServer.start(DialectSettings.defaults().withPlainPort(DialectServerTest.freePort()), host);
    }

    @AfterEach
    void stop() throws Exception {
        List<IMqttToken> closing = new ArrayList<>();
        for (MqttAsyncClient c : clients) {
            if (c.isConnected()) {
                closing.add(c.disconnect(0));
            }
        }
        for (IMqttToken t : closing) {
            t.waitForCompletion(5000);
        }
        for (MqttAsyncClient c : clients) {
            c.close(true);
        }
        server.close();
    }

    @Test
    void givenClientsWithLargePublishesInFlight_whenTheHostStalls_thenServerHoldsBoundedBytesAndAllGoThroughLater()
            throws Exception {
        CompletableFuture<Void> stalledStore = new CompletableFuture<>();
        host.telemetryGate = stalledStore;
        List<IMqttDeliveryToken> sent = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String id = "edge1/flood" + c;
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + server.plainPort(), id,
                    new MemoryPersistence());
            clients.add(client);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setUserName(TestHost.username(id));
            options.setPassword(TestHost.password(id).toCharArray());
            options.setMaxInflight(IN_FLIGHT);
            client.connect(options).waitForCompletion(10_000);
            for (int i = 0; i < IN_FLIGHT; i++) {
                MqttMessage m = new MqttMessage(new byte[BODY]);
                m.setQos(1);
                sent.add(client.publish("devices/edge1/modules/flood" + c + "/messages/events/", m));
            }
        }

        int perClient = Connection.MAX_INFLIGHT_IN_BYTES / BODY + 1;
        await().atMost(Duration.ofSeconds(60)).until(() -> host.telemetry.size() >= CLIENTS * perClient);
        assertThat(host.telemetry).as("PUBLISHes taken while the host stalls").hasSize(CLIENTS * perClient);
        assertThat(sent).as("none acknowledged while the host stalls").noneMatch(IMqttDeliveryToken::isComplete);

        stalledStore.complete(null);
        for (IMqttDeliveryToken token : sent) {
            token.waitForCompletion(60_000);
            assertThat(token.getException()).isNull();
        }
        assertThat(host.telemetry).hasSize(CLIENTS * IN_FLIGHT);
    }
}
