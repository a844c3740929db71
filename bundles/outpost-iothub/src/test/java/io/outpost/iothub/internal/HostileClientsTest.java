package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import io.outpost.iothub.IotMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Clients that attack the listeners before they authenticate, over real sockets, while a real device (Eclipse
 * Paho, MQTT 3.1.1 over TLS, from 127.0.0.1) keeps connecting and publishing at QoS 1. Attackers use other
 * loopback source addresses (127.0.0.2 and up), which Linux routes to the same listener.
 */
@Tag("integration")
class HostileClientsTest {

    private static final String DEVICE = "leaf1";
    private static final Duration LONG_CONNECT_TIMEOUT = Duration.ofSeconds(120);

    private final TestHost host = new TestHost();
    private final List<SocketChannel> sockets = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();
    private TestTls tls;
    private DialectServer server;

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 1000);
            }
            c.close(true);
        }
        for (SocketChannel s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(DialectHost dialectHost, UnaryOperator<DialectSettings> limits) throws Exception {
        tls = new TestTls();
        DialectSettings settings = DialectSettings.defaults()
                .withTls("127.0.0.1", DialectServerTest.freePort(), tls::serverKeyStore)
                .withPlainPort(DialectServerTest.freePort())
                .withConnectTimeout(LONG_CONNECT_TIMEOUT);
        server = DialectServer.start(limits.apply(settings), dialectHost);
    }

    @Test
    void givenIdleSocketsSlowHandshakesAndBadConnects_whenDeviceKeepsPublishing_thenServedAndAttackersClosed()
            throws Exception {
        // the shipped limits, but a busy connect deadline that no normal deadline (LONG_CONNECT_TIMEOUT) explains
        start(host, s -> s.withConnectLimits(DialectSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                DialectSettings.DEFAULT_MAX_CONNECT_PACKET_BYTES, DialectSettings.DEFAULT_MAX_PENDING_AUTHENTICATIONS,
                DialectSettings.DEFAULT_BUSY_UNAUTHENTICATED, Duration.ofSeconds(1)));
        int perAddress = DialectSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

        // 1,100 idle TCP connections from one address
        List<SocketChannel> idle = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            idle.add(open("127.0.0.2", server.tlsPort()));
        }
        // 500 TLS handshakes that stall after the first bytes of a ClientHello, from 8 addresses
        List<SocketChannel> slowTls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            SocketChannel s = open("127.0.0." + (3 + i / 63), server.tlsPort());
            write(s, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            slowTls.add(s);
        }
        // a CONNECT cut short, and one announcing 64 KiB (a CONNECT needs a few hundred bytes)
        byte[] connect = FuzzTest.connect(DEVICE, TestHost.username(DEVICE), TestHost.password(DEVICE), 4);
        SocketChannel partial = open("127.0.0.20", server.plainPort());
        write(partial, Arrays.copyOf(connect, connect.length / 2));
        SocketChannel oversized = open("127.0.0.21", server.plainPort());
        write(oversized, new byte[] {0x10, (byte) 0x80, (byte) 0x80, 0x04});
        write(oversized, Arrays.copyOfRange(connect, 2, connect.length));
        write(oversized, new byte[1024]);

        // the device is served throughout
        for (int round = 0; round < 5; round++) {
            MqttClient device = device(DEVICE);
            device.connect(deviceOptions(DEVICE));
            for (int i = 0; i < 10; i++) {
                MqttMessage m = new MqttMessage(("m" + round + "-" + i).getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                device.publish("devices/" + DEVICE + "/messages/events/", m);
            }
            device.disconnect(5000);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(host.telemetry.poll(10, TimeUnit.SECONDS)).as("telemetry " + i).isNotNull();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(stillOpen(idle)).as("idle connections from one address").isLessThanOrEqualTo(perAddress);
            assertThat(stillOpen(slowTls)).as("stalled TLS handshakes beyond the busy threshold get the busy "
                    + "deadline").isLessThanOrEqualTo(DialectSettings.DEFAULT_BUSY_UNAUTHENTICATED);
            assertThat(stillOpen(List.of(partial))).as("a CONNECT cut short").isZero();
            assertThat(stillOpen(List.of(oversized))).as("an oversized packet before CONNACK").isZero();
        });
    }

    @Test
    void givenAuthenticationsPending_whenOneMoreConnects_thenServerUnavailableAndServedOnceTheyComplete()
            throws Exception {
        CompletableFuture<Void> slowStore = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        start(new DelegatingHost(host) {
            @Override
            public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
                if (!request.clientId().startsWith("slow")) {
                    return super.authenticate(request);
                }
                asked.incrementAndGet();
                return slowStore.thenCompose(v -> super.authenticate(request));
            }
        }, s -> s.withConnectLimits(64, 8192, 4, 128, Duration.ofSeconds(30)));
        List<SocketChannel> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SocketChannel s = open("127.0.0.1", server.plainPort());
            String id = "slow" + i;
            write(s, FuzzTest.connect(id, TestHost.username(id), TestHost.password(id), 4));
            pending.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() == 4);

        MqttClient device = device(DEVICE);
        assertThatThrownBy(() -> device.connect(deviceOptions(DEVICE)))
                .isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_BROKER_UNAVAILABLE);

        slowStore.complete(null);
        for (SocketChannel s : pending) {
            assertThat(readConnAck(s)).as("CONNACK accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
        }
        device.connect(deviceOptions(DEVICE));
        MqttMessage m = new MqttMessage("after".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        device.publish("devices/" + DEVICE + "/messages/events/", m);
        assertThat(host.telemetry.poll(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void givenCredentialExpiringAtTheEndOfTime_whenConnecting_thenAcceptedAndServed() throws Exception {
        start(new DelegatingHost(host) {
            @Override
            public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
                return super.authenticate(request).thenApply(a -> a.map(
                        who -> new Authenticated(who.identity(), Optional.of(Instant.MAX))));
            }
        }, s -> s);
        MqttClient device = device(DEVICE);
        MqttConnectOptions options = deviceOptions(DEVICE);
        options.setConnectionTimeout(10);

        device.connect(options);
        MqttMessage m = new MqttMessage("x".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        device.publish("devices/" + DEVICE + "/messages/events/", m);

        assertThat(host.telemetry.poll(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(server.clients()).singleElement()
                .satisfies(c -> assertThat(c.expiresAt()).contains(Instant.MAX));
    }

    // ---- helpers

    private MqttClient device(String clientId) throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + server.tlsPort(), clientId, new MemoryPersistence());
        client.setTimeToWait(Duration.ofSeconds(30).toMillis());
        clients.add(client);
        return client;
    }

    private MqttConnectOptions deviceOptions(String clientId) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(TestHost.username(clientId));
        options.setPassword(TestHost.password(clientId).toCharArray());
        options.setSocketFactory(tls.clientContext().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(20);
        return options;
    }

    private SocketChannel open(String from, int port) throws IOException {
        SocketChannel s = SocketChannel.open();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.configureBlocking(false);
        return s;
    }

    private static void write(SocketChannel s, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            s.write(buffer);
        }
    }

    /** How many of the connections the server has not closed (what it sent before closing is read and dropped). */
    private static int stillOpen(List<SocketChannel> connections) {
        int open = 0;
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (SocketChannel s : connections) {
            try {
                int n;
                do {
                    buffer.clear();
                    n = s.read(buffer);
                } while (n > 0);
                if (n == 0) {
                    open++;
                }
            } catch (IOException e) {
                // reset by the server: closed
            }
        }
        return open;
    }

    private static int[] readConnAck(SocketChannel s) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (s.read(buffer) < 0) {
                throw new IOException("closed before the CONNACK");
            }
            return !buffer.hasRemaining();
        });
        byte[] bytes = buffer.array();
        return new int[] {bytes[0] & 0xff, bytes[1] & 0xff, bytes[2] & 0xff, bytes[3] & 0xff};
    }

    /** A host that answers as another one unless a test overrides a method. */
    private static class DelegatingHost implements DialectHost {
        private final DialectHost delegate;

        DelegatingHost(DialectHost delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
            return delegate.authenticate(request);
        }

        @Override
        public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
            return delegate.telemetry(identity, message);
        }

        @Override
        public CompletionStage<String> getTwin(ClientIdentity identity) {
            return delegate.getTwin(identity);
        }

        @Override
        public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
            return delegate.patchReported(identity, patchJson);
        }
    }
}
