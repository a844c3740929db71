package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.OutpostException;
import io.outpost.common.SystemClock;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.StoredMessage;
import io.outpost.hub.UpstreamSender;
import io.outpost.hub.UpstreamStatus;
import io.outpost.security.Identity;
import io.outpost.security.SasToken;
import io.outpost.testing.PahoClients;
import io.outpost.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's one-way message path through its components as OSGi activates them on one shared configuration: a
 * module publishes through the real MQTT listener ({@link ListenerComponent}), the router puts the message in the
 * store ({@link MessageStoreComponent}), the test polls it as the endpoint pump does, and the sender
 * ({@link EndpointSenderComponent}) delivers a module input through the listener to a real Paho client and
 * {@code $upstream} through the cloud link's {@link UpstreamSender}.
 */
@Tag("integration")
class EndpointSenderComponentTest {

    private static final String HUB = "hub.example.net";
    private static final String DEVICE = "edge1";
    private static final String API = "/?api-version=2021-04-12";

    @TempDir
    Path dir;

    private final FakeIdentities identities = new FakeIdentities();
    private final PahoClients clients = new PahoClients();
    private final RecordingUpstream upstream = new RecordingUpstream();
    private HubConfig config;
    private MessageStoreComponent store;
    private TwinsComponent twins;
    private ListenerComponent listener;
    private int plainPort;

    @BeforeEach
    void start() throws Exception {
        plainPort = HubListenerTest.freePort();
        config = TestHubConfig.of(Map.of("dataDir", dir.resolve("store").toString(), "deviceId", DEVICE,
                "mqttTlsPort", 0, "mqttPlainPort", plainPort, "mqttHubHostName", HUB));
        store = new MessageStoreComponent(SystemClock.INSTANCE, config, TestHubConfig.bundleContext());
        Router router = new Router(store);
        router.putRoute(new RouteDefinition("toSink", "FROM /messages/modules/sensor/outputs/out1 INTO "
                + "BrokeredEndpoint(\"/modules/sink/inputs/in1\")", 0, 0, RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("up", "FROM /messages/modules/sensor/outputs/out2 INTO $upstream", 0, 0,
                RouteDefinition.FROM_SHELL));
        twins = new TwinsComponent(config, TestHubConfig.bundleContext());
        listener = new ListenerComponent(config, router, twins, store, TestCertificates.edgeCa(dir.resolve("security")),
                identities, null, SystemClock.INSTANCE);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        listener.deactivate();
        twins.deactivate();
        store.deactivate();
    }

    @Test
    void givenModuleInputInTheStore_whenTheSenderSendsIt_thenTheModuleGetsItThroughTheListenerBeforeTheSendReturns()
            throws Exception {
        EndpointSenderComponent sender = new EndpointSenderComponent(config, listener, upstream);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttClient sink = connect(identities.moduleIdentity(DEVICE, "sink"));
        sink.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1, (topic, message) -> {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            release.await(30, TimeUnit.SECONDS); // Paho answers PUBACK once this returns
        });
        MqttClient sensor = connect(identities.moduleIdentity(DEVICE, "sensor"));
        sensor.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=out1&%24.mid=m1&k=v",
                PahoClients.qos1("reading"));
        String endpoint = Endpoints.moduleInput("sink", "in1");
        List<StoredMessage> batch = store.poll(endpoint, 10, Duration.ofSeconds(10));
        assertThat(batch).hasSize(1);

        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sender.send(endpoint, batch.get(0)));

        assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("devices/" + DEVICE + "/modules/sink/inputs/in1/")
                .contains("%24.mid=m1").contains("%24.cmid=sensor").contains("k=v").endsWith(" reading");
        assertThat(sent).as("the send completes on the module's PUBACK").isNotDone();
        release.countDown();
        sent.get(10, TimeUnit.SECONDS);
        store.ack(endpoint, List.of(batch.get(0).id()));
        assertThat(store.stats(endpoint).length()).isZero();
        assertThat(upstream.sent).isEmpty();
    }

    /** A pump backing off for its module waits in the store; the module subscribing to its inputs ends the wait. */
    @Test
    void givenAPumpBackingOff_whenItsModuleSubscribesToItsInputs_thenItsWaitEnds() throws Exception {
        String endpoint = Endpoints.moduleInput("sink", "in1");
        MqttClient sensor = connect(identities.moduleIdentity(DEVICE, "sensor"));
        sensor.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=out1&%24.mid=m1", PahoClients.qos1("r"));
        CompletableFuture<Void> woken = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try {
                store.awaitWakeUp(endpoint, Duration.ofMinutes(10));
                woken.complete(null);
            } catch (InterruptedException e) {
                woken.completeExceptionally(e);
            }
        }, "backing-off-pump");
        pump.setDaemon(true);
        pump.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> pump.getState() == Thread.State.TIMED_WAITING);

        MqttClient sink = connect(identities.moduleIdentity(DEVICE, "sink"));
        sink.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1);

        woken.get(30, TimeUnit.SECONDS);
    }

    @Test
    void givenUpstreamMessageInTheStore_whenTheSenderSendsIt_thenTheCloudLinkGetsIt() throws Exception {
        EndpointSenderComponent sender = new EndpointSenderComponent(config, listener, upstream);
        MqttClient sensor = connect(identities.moduleIdentity(DEVICE, "sensor"));
        sensor.publish("devices/" + DEVICE + "/modules/sensor/messages/events/%24.on=out2&%24.mid=u1",
                PahoClients.qos1("{\"t\":21}"));
        List<StoredMessage> batch = store.poll(Endpoints.UPSTREAM, 10, Duration.ofSeconds(10));
        assertThat(batch).hasSize(1);

        sender.sendAsync(Endpoints.UPSTREAM, batch.get(0)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(upstream.sent).singleElement().satisfies(m -> {
            assertThat(m.endpoint()).isEqualTo(Endpoints.UPSTREAM);
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21}");
            assertThat(m.systemProperties()).containsEntry("messageId", "u1")
                    .containsEntry("connectionModuleId", "sensor").containsEntry("connectionDeviceId", DEVICE);
        });
    }

    @Test
    void givenNoCloudLinkAndNoListener_whenTheSenderSends_thenRetryableFailuresAndTheMessagesStayQueued()
            throws Exception {
        StoredMessage up = stored(Endpoints.UPSTREAM);
        StoredMessage input = stored(Endpoints.moduleInput("sink", "in1"));

        EndpointSenderComponent noLink = new EndpointSenderComponent(config, listener, null);
        assertThatThrownBy(() -> noLink.send(Endpoints.UPSTREAM, up)).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ENDPOINT_UNAVAILABLE));

        EndpointSenderComponent noListener = new EndpointSenderComponent(config, null, upstream);
        assertThatThrownBy(() -> noListener.send(input.endpoint(), input))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.ENDPOINT_UNAVAILABLE))
                .hasMessageContaining("the hub has no MQTT listener");

        EndpointSenderComponent closed = new EndpointSenderComponent(config, listener, upstream);
        listener.deactivate();
        assertThatThrownBy(() -> closed.send(input.endpoint(), input)).isInstanceOf(OutpostException.class)
                .hasMessageContaining("the hub has no MQTT listener");
        assertThat(listener.server()).isEmpty();
    }

    @Test
    void givenNoSecurityServices_thenTheListenerIsOffAndModuleInputsFailAsRetryable() throws Exception {
        listener.deactivate();
        listener = new ListenerComponent(config, new Router(store), twins, store, null, null, null,
                SystemClock.INSTANCE);
        EndpointSenderComponent sender = new EndpointSenderComponent(config, listener, upstream);
        StoredMessage input = stored(Endpoints.moduleInput("sink", "in1"));

        assertThat(listener.server()).isEmpty();
        assertThat(listener.list()).isEmpty();
        assertThatThrownBy(() -> sender.sendAsync(input.endpoint(), input).toCompletableFuture().join())
                .hasCauseInstanceOf(OutpostException.class).hasMessageContaining("the hub has no MQTT listener");
        assertThat(twins.setLeafDesired("leaf1", "{\"interval\":5}")).hasValue(2);
    }

    @Test
    void givenTheSharedConfiguration_thenTwinsLiveUnderTheStoreDataDirAndTheListenerUsesItsMqttSettings()
            throws Exception {
        assertThat(twins.setLeafDesired("leaf1", "{\"interval\":5}")).hasValue(2);
        assertThat(Files.list(dir.resolve("store").resolve("twins")).map(p -> p.getFileName().toString()))
                .singleElement().asString().startsWith("leaf1");
        assertThat(listener.server()).hasValueSatisfying(s -> assertThat(s.plainPort()).isEqualTo(plainPort));
        assertThat(listener.deliveryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> twins.setLeafDesired(DEVICE, "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deviceId");
        assertThat(listener.list()).isEmpty();
    }

    private MqttClient connect(Identity identity) throws Exception {
        MqttClient client = clients.create("tcp://127.0.0.1:" + plainPort, identity.name());
        client.connect(PahoClients.options(HUB + "/" + identity.name() + API, SasToken.create(identity.resource(HUB),
                identity.primaryKey().orElseThrow(), Instant.now().plusSeconds(3600))));
        return client;
    }


    private static StoredMessage stored(String endpoint) {
        Instant now = Instant.now();
        return new StoredMessage("id-1", endpoint, 0, now, now.plusSeconds(60), Map.of(), Map.of(),
                "x".getBytes(StandardCharsets.UTF_8));
    }

    /** A cloud link that takes every message at once. */
    private static final class RecordingUpstream implements UpstreamSender {
        final List<StoredMessage> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void send(StoredMessage message) {
            sent.add(message);
        }

        @Override
        public UpstreamStatus status() {
            return new UpstreamStatus("test", true, Optional.empty(), Duration.ZERO, 0, sent.size(), "");
        }
    }
}
