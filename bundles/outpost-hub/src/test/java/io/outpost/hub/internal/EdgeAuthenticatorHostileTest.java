package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.SystemClock;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.IotMessage;
import io.outpost.security.Identity;
import io.outpost.security.SasToken;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients of the hub's listener before they authenticate: SAS tokens that claim to live (nearly) forever,
 * and a flood of refused CONNECTs with client ids of the attacker's choosing. The dialect server on its plain
 * loopback listener, the edge's authenticator with real identities, and Eclipse Paho clients.
 */
@Tag("integration")
class EdgeAuthenticatorHostileTest {

    private static final String HUB = "hub.example.net";
    private static final String API = "/?api-version=2021-04-12";

    private final FakeIdentities identities = new FakeIdentities();
    private final List<MqttClient> clients = new ArrayList<>();
    private EdgeAuthenticator authenticator;
    private DialectServer server;
    private Identity sensor;
    private int port;

    @BeforeEach
    void start() throws Exception {
        sensor = identities.moduleIdentity("edge1", "sensor");
        authenticator = new EdgeAuthenticator(identities, SystemClock.INSTANCE, Optional.of(HUB), List::of);
        port = HubListenerTest.freePort();
        server = DialectServer.start(MqttSettings.of("127.0.0.1", 0, port).dialect(null), new AuthenticatingHost());
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 1000);
            }
            c.close(true);
        }
        server.close();
    }

    @Test
    void givenTokensExpiringFarAhead_whenConnecting_thenNotAuthorizedAndClosed() throws Exception {
        long year9999 = ZonedDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC).toEpochSecond();
        long lastInstant = Instant.MAX.getEpochSecond();
        long beyondYear = MqttSettings.DEFAULT_MAX_TOKEN_LIFETIME.plusDays(1).toSeconds()
                + Instant.now().getEpochSecond();
        for (long se : new long[] {year9999, lastInstant, Long.MAX_VALUE, beyondYear}) {
            MqttClient client = client(sensor.name());
            assertThatThrownBy(() -> client.connect(options(sensor, token(sensor, se))))
                    .as("se=%d", se)
                    .isInstanceOf(MqttSecurityException.class)
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
            assertThat(client.isConnected()).isFalse();
        }
        assertThat(server.clients()).isEmpty();

        MqttClient good = client(sensor.name());
        good.connect(options(sensor, token(sensor, Instant.now().plus(Duration.ofDays(300)).getEpochSecond())));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.clients()).singleElement()
                .satisfies(c -> assertThat(c.identity()).isEqualTo(ClientIdentity.module("edge1", "sensor"))));
    }

    @Test
    void givenOneAddressTryingManyClientIds_whenRefused_thenBoundedLogLines() throws Exception {
        for (int i = 0; i < 300; i++) {
            String id = "edge1/attacker-" + i;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(connectPacket(id, HUB + "/" + id + API, "SharedAccessSignature x"));
                byte[] connAck = socket.getInputStream().readNBytes(4);
                assertThat(connAck).as("CONNACK not authorized").containsExactly(0x20, 0x02, 0x00, 0x05);
                assertThat(socket.getInputStream().read()).as("closed after the CONNACK").isEqualTo(-1);
            }
        }

        assertThat(authenticator.refusalLines()).isEqualTo(EdgeAuthenticator.LINES_PER_ADDRESS);

        // refusals from many addresses (simulated: the budget is per address and in all)
        for (int i = 0; i < 20_000; i++) {
            authenticator.authenticate(new ConnectRequest("edge1/x" + i, Optional.of(HUB + "/edge1/x" + i + API),
                    Optional.of("nope"), List.of(), "10.0." + (i % 250) + "." + (i / 250 % 250) + ":1234", true, 4));
        }
        assertThat(authenticator.refusalLines()).isLessThanOrEqualTo(EdgeAuthenticator.LINES_IN_ALL);
    }

    // ---- helpers

    /** An MQTT 3.1.1 CONNECT with user name and password, clean session, keep-alive 30 s. */
    private static byte[] connectPacket(String clientId, String user, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        body.write(0xC2);
        body.write(0);
        body.write(30);
        writeString(body, clientId);
        writeString(body, user);
        writeString(body, password);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        int length = body.size();
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.writeBytes(bytes);
    }

    private MqttClient client(String clientId) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setTimeToWait(Duration.ofSeconds(30).toMillis());
        clients.add(client);
        return client;
    }

    private static MqttConnectOptions options(Identity identity, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(HUB + "/" + identity.name() + API);
        options.setPassword(password.toCharArray());
        options.setConnectionTimeout(10);
        return options;
    }

    /** A token signed with the identity's key whatever its expiry (SasToken.create needs an Instant). */
    private static String token(Identity identity, long se) {
        String sr = URLEncoder.encode(identity.resource(HUB), StandardCharsets.UTF_8);
        String sig = SasToken.sign(sr + "\n" + se, identity.primaryKey().orElseThrow());
        return "SharedAccessSignature sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&se=" + se;
    }

    /** The edge hub's authentication ({@link EdgeHost#authenticate}); nothing else is needed here. */
    private final class AuthenticatingHost implements DialectHost {
        @Override
        public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
            return CompletableFuture.completedFuture(authenticator.authenticate(request));
        }

        @Override
        public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<String> getTwin(ClientIdentity identity) {
            return CompletableFuture.completedFuture("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");
        }

        @Override
        public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
            return CompletableFuture.completedFuture(1L);
        }
    }
}
