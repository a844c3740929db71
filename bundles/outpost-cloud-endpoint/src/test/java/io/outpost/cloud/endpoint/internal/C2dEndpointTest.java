package io.outpost.cloud.endpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.common.OutpostException;
import io.outpost.common.SystemClock;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable cloud-to-device queue end to end: real Paho clients over TLS, two cloud nodes (two endpoints, each
 * with its own store over one H2 database) and the queue in that database.
 */
@Tag("integration")
class C2dEndpointTest {

    static final String KEY = "a2V5LW9mLWRldmljZS1hLTEyMzQ1Ng==";
    static final String FILTER = "devices/dev-a/messages/devicebound/#";
    static final C2dSettings SETTINGS = new C2dSettings(3, Duration.ofHours(1), Duration.ofSeconds(1));

    @TempDir
    Path dir;

    CloudStoreFixture store;
    CloudStoreFixture otherStore;
    CloudEndpoint node;
    CloudEndpoint otherNode;
    DeviceClients clients;
    final List<MqttClient> open = new ArrayList<>();

    /** A C2D message as the device saw it: system and application properties of the bag, the body. */
    record Received(int id, Map<String, String> bag, String body) {
    }

    @BeforeEach
    void start() throws Exception {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 100, SystemClock.INSTANCE);
        otherStore = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 100, SystemClock.INSTANCE);
        store.registry().create("dev-a", new DeviceAuth.SymmetricKeys(KEY, ""), "{}");
        node = start(store, "node-1");
        otherNode = start(otherStore, "node-2");
        clients = new DeviceClients(dir.resolve("node-1").resolve("trust-bundle.pem"), node.port());
    }

    private CloudEndpoint start(CloudStoreFixture s, String name) throws Exception {
        return CloudEndpoint.start(EndpointSettings.forTest(dir.resolve(name), freePort()), s.registry(), s.twins(),
                s.deployments(), s.telemetry(), s.c2d(), SETTINGS, SystemClock.INSTANCE);
    }

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : open) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 100);
            }
            c.close();
        }
        otherNode.close();
        node.close();
        otherStore.close();
        store.close();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Connects dev-a to node 1 and subscribes to its messages; PUBACKs only when {@code ack}. */
    MqttClient device(BlockingQueue<Received> inbox, boolean ack) throws Exception {
        MqttClient c = clients.connect("dev-a", KEY);
        open.add(c);
        c.setManualAcks(!ack);
        c.subscribe(FILTER, 1, (topic, m) -> inbox.add(received(topic, m)));
        return c;
    }

    static Received received(String topic, MqttMessage m) {
        String prefix = "devices/dev-a/messages/devicebound/";
        assertThat(topic).startsWith(prefix);
        Map<String, String> bag = new TreeMap<>();
        for (String pair : topic.substring(prefix.length()).split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                bag.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new Received(m.getId(), bag, new String(m.getPayload(), StandardCharsets.UTF_8));
    }

    static CloudToDeviceMessage message(String id, String body) {
        return new CloudToDeviceMessage(id, "corr-" + id, "application/json", "utf-8", Duration.ZERO,
                Map.of("color", "red"), body.getBytes(StandardCharsets.UTF_8));
    }

    static C2dEntry send(CloudEndpoint on, CloudToDeviceMessage m) throws Exception {
        return on.messaging().sendToDevice("dev-a", m).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    C2dEntry entry(String messageId) {
        return store.c2d().list("dev-a").stream().filter(e -> e.message().messageId().equals(messageId))
                .findFirst().orElseThrow();
    }

    @Test
    void givenMessagesPostedWhileOffline_whenTheDeviceSubscribes_thenDeliveredOldestFirstWithTheirProperties()
            throws Exception {
        C2dEntry first = send(node, message("m-1", "{\"n\":1}"));
        send(node, message("m-2", "{\"n\":2}"));
        C2dEntry generated = send(node, new CloudToDeviceMessage("", Map.of(), "plain".getBytes(StandardCharsets.UTF_8)));
        assertThat(first.state()).isEqualTo(C2dState.QUEUED);
        assertThat(first.expiresAt()).isEqualTo(first.enqueuedAt().plus(Duration.ofHours(1)));
        assertThat(generated.message().messageId()).matches("[0-9a-f-]{36}");

        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        device(inbox, true);

        Received one = inbox.poll(10, TimeUnit.SECONDS);
        Received two = inbox.poll(10, TimeUnit.SECONDS);
        Received three = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(one).isNotNull();
        assertThat(one.body()).isEqualTo("{\"n\":1}");
        assertThat(one.bag()).containsEntry("$.mid", "m-1").containsEntry("$.cid", "corr-m-1")
                .containsEntry("$.ct", "application/json").containsEntry("$.ce", "utf-8")
                .containsEntry("$.to", "/devices/dev-a/messages/deviceBound")
                .containsEntry("$.exp", first.expiresAt().toString()).containsEntry("color", "red");
        assertThat(two.bag()).containsEntry("$.mid", "m-2");
        assertThat(three.bag()).containsEntry("$.mid", generated.message().messageId()).doesNotContainKey("$.cid");
        assertThat(three.body()).isEqualTo("plain");
        await().atMost(5, TimeUnit.SECONDS).until(() -> store.c2d().counts("dev-a").get(C2dState.DELIVERED) == 3L);
        assertThat(entry("m-1").deliveryCount()).isEqualTo(1);
        assertThat(inbox.poll(1500, TimeUnit.MILLISECONDS)).as("nothing delivered twice").isNull();
    }

    @Test
    void givenConnectedDevice_whenSentWithAWait_thenDeliveredBeforeTheAnswer() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        device(inbox, true);

        C2dEntry e = node.messaging().sendToDevice("dev-a", message("now", "{}"), Duration.ofSeconds(10))
                .toCompletableFuture().get(15, TimeUnit.SECONDS);

        assertThat(e.state()).isEqualTo(C2dState.DELIVERED);
        assertThat(inbox.poll(1, TimeUnit.SECONDS).bag()).containsEntry("$.mid", "now");
    }

    @Test
    void givenMessageThatExpiredWhileOffline_whenTheDeviceConnects_thenNotDeliveredAndCountedExpired()
            throws Exception {
        send(node, new CloudToDeviceMessage("short", "", "", "", Duration.ofSeconds(1), Map.of(),
                "late".getBytes(StandardCharsets.UTF_8)));
        send(node, message("long", "{}"));
        // the device connects only once the short message's TTL has passed
        java.time.Instant expiry = entry("short").expiresAt();
        await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.now().isAfter(expiry));

        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        device(inbox, true);

        Received got = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(got.bag()).containsEntry("$.mid", "long");
        assertThat(inbox.poll(1500, TimeUnit.MILLISECONDS)).isNull();
        Map<C2dState, Long> counts = store.c2d().counts("dev-a");
        assertThat(counts).containsEntry(C2dState.EXPIRED, 1L).containsEntry(C2dState.DELIVERED, 1L)
                .containsEntry(C2dState.QUEUED, 0L);
        assertThat(entry("short").deliveryCount()).isZero();
    }

    @Test
    void givenDeviceThatDidNotAcknowledge_whenItReconnects_thenTheMessageIsSentAgain() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        MqttClient silent = device(inbox, false);
        send(node, message("again", "{}"));

        Received first = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(first.bag()).containsEntry("$.mid", "again");
        // unacknowledged: it stays queued all along, not just at one instant
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> entry("again").state() == C2dState.QUEUED);
        silent.disconnectForcibly(100, 100);

        device(inbox, true);

        Received second = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second.bag()).containsEntry("$.mid", "again");
        await().atMost(5, TimeUnit.SECONDS).until(() -> entry("again").state() == C2dState.DELIVERED);
        // sent twice at least: once more when a round races the disconnect
        assertThat(entry("again").deliveryCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void givenMessageQueuedThroughTheOtherNode_whenTheDeviceIsConnectedHere_thenTheSweepDeliversIt()
            throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        device(inbox, true);
        assertThat(otherNode.messaging().connected()).isEmpty();

        C2dEntry e = send(otherNode, message("via-2", "{}"));

        assertThat(e.state()).isEqualTo(C2dState.QUEUED);
        Received got = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.bag()).containsEntry("$.mid", "via-2");
        await().atMost(5, TimeUnit.SECONDS).until(() -> entry("via-2").state() == C2dState.DELIVERED);
        assertThat(otherNode.messaging().deviceMessages("dev-a")).extracting(C2dEntry::state)
                .containsExactly(C2dState.DELIVERED);
    }

    @Test
    void givenFullQueue_whenOneMoreIsSent_thenQueueFullAndBadInputRefused() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(node, message("m-" + i, "{}"));
        }

        ExecutionException full = catchThrowableOfType(ExecutionException.class,
                () -> send(otherNode, message("m-3", "{}")));
        assertThat(full.getCause()).isInstanceOf(OutpostException.class);
        assertThat(((OutpostException) full.getCause()).errorCode()).isEqualTo(CloudErrorCode.QUEUE_FULL);
        ExecutionException unknown = catchThrowableOfType(ExecutionException.class,
                () -> node.messaging().sendToDevice("nobody", message("x", "{}")).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertThat(((OutpostException) unknown.getCause()).errorCode()).isEqualTo(CloudErrorCode.NOT_FOUND);
        OutpostException ttl = catchThrowableOfType(OutpostException.class,
                () -> node.messaging().sendToDevice("dev-a", new CloudToDeviceMessage("x", "", "", "",
                        Duration.ofHours(49), Map.of(), new byte[0])));
        assertThat(ttl.getMessage()).contains("ttlSeconds");

        assertThat(node.messaging().purgeDeviceMessages("dev-a")).isEqualTo(3);
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        device(inbox, true);
        assertThat(inbox.poll(2, TimeUnit.SECONDS)).as("purged messages are not delivered").isNull();
        assertThat(node.messaging().deviceMessages("dev-a")).extracting(C2dEntry::state).containsOnly(C2dState.PURGED);
        assertThat(Instant.now()).isAfter(entry("m-0").stateChangedAt().minusSeconds(1));
    }
}
