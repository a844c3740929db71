package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.common.SystemClock;
import io.outpost.hub.Endpoints;
import io.outpost.hub.MethodInvoker.MethodResponse;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.StoredMessage;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.testing.AzureSdkGateway;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.testing.TestCertificates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure's Java device SDK ({@code iot-device-client} 2.5.0, unchanged) against the edge hub: the IoT Hub dialect
 * server with the edge hub as host, a real store, router, twin files and edge CA, as {@link HubListenerTest} sets
 * them up, and a pump that delivers module inputs as the hub's endpoint pumps do. The SDK clients are made from
 * connection strings with {@code GatewayHostName=<address>} and an SSL context trusting only the edge CA's trust
 * bundle. The SDK always dials port 8883 of the gateway, so the hub listens on 8883 of a loopback address of its own
 * ({@link AzureSdkGateway}), which a broker or another hub on 127.0.0.1:8883 does not disturb.
 */
@Tag("integration")
class AzureSdkClientsTest {

    private static final String HUB = "hub.example.net";
    private static final String DEVICE = "edge1";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TWIN_CALL_TIMEOUT_MILLIS = 10_000;
    private static final int TWIN_CALL_ATTEMPTS = 3;

    @TempDir
    Path dir;

    private final FakeIdentities identities = new FakeIdentities();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicBoolean pumping = new AtomicBoolean(true);
    private ArtemisMessageStore store;
    private Router router;
    private CertificateService certificates;
    private EdgeTwins twins;
    private DialectServer server;
    private HubComponents hub;
    private String gateway;
    private Thread pump;

    @BeforeEach
    void start() throws Exception {
        store = StoreFixture.open(dir.resolve("store"), ManualClock.atEpochOf2026());
        router = new Router(store);
        gateway = AzureSdkGateway.loopbackWithFreeMqttPort();
        certificates = TestCertificates.edgeCa(dir.resolve("security"), List.of("localhost", gateway));
        Path clientCaFile = Files.writeString(dir.resolve("client-ca.pem"), "");
        twins = new EdgeTwins(dir.resolve("twins"));
        ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000));
        EdgeAuthenticator authenticator = new EdgeAuthenticator(identities, SystemClock.INSTANCE, Optional.of(HUB),
                () -> ListenerComponent.trustedCas(certificates, clientCaFile.toString()));
        server = DialectServer.start(MqttSettings.of(gateway, AzureSdkGateway.SDK_MQTT_PORT, 0)
                .dialect(certificates::serverKeyStore), new EdgeHost(authenticator, router, twins, worker,
                SystemClock.INSTANCE));
        hub = new HubComponents(server, worker, twins, DEVICE);
        ModuleInputDelivery delivery = new ModuleInputDelivery(DEVICE, () -> hub.listener);
        pump = new Thread(() -> pumpInputs(delivery), "test-input-pump");
        pump.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        pumping.set(false);
        pump.join(10_000);
        hub.deactivate();
        store.close();
    }

    @Test
    void givenLeafDeviceWithGatewayConnectionString_whenUsingTheSdk_thenTelemetryTwinAndMethodsWork() throws Exception {
        Identity leaf = identities.addDevice("leaf1");
        router.putRoute(new RouteDefinition("leafToSink", "FROM /messages/* WHERE $connectionDeviceId = 'leaf1' "
                + "INTO BrokeredEndpoint(\"/modules/sink/inputs/fromLeaf\")", 0, 0, RouteDefinition.FROM_SHELL));
        BlockingQueue<String> atSink = pahoModule("sink");
        long desiredVersion = twins.setDesired("leaf1", "{\"interval\":5,\"mode\":\"eco\"}").orElseThrow().version();

        DeviceClient client = new DeviceClient(connectionString(leaf), IotHubClientProtocol.MQTT, sdkOptions());
        closeables.add(client::close);
        BlockingQueue<Twin> desiredPatches = new LinkedBlockingQueue<>();
        BlockingQueue<String> methodCalls = new LinkedBlockingQueue<>();
        client.open(false);
        assertThat(hub.list()).filteredOn(c -> c.identity().equals("leaf1")).singleElement()
                .satisfies(c -> assertThat(c.tls()).isTrue());

        // telemetry, routed to a module input and delivered to a Paho module client
        Message reading = new Message("{\"temperature\":21.5}");
        reading.setMessageId("leaf-m1");
        reading.setContentType("application/json");
        reading.setContentEncoding("utf-8");
        reading.setProperty("unit", "celsius");
        client.sendEvent(reading);
        assertThat(atSink.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .startsWith("devices/" + DEVICE + "/modules/sink/inputs/fromLeaf/")
                .contains("%24.mid=leaf-m1").contains("%24.cdid=leaf1").contains("unit=celsius")
                .endsWith(" {\"temperature\":21.5}");

        // the twin: desired set on the hub side, read by the SDK; reported properties stored by the hub
        client.subscribeToDesiredProperties((twin, context) -> desiredPatches.add(twin), null);
        Twin twin = twinCall(client::getTwin);
        assertThat(twin.getDesiredProperties().getVersion()).isEqualTo((int) desiredVersion);
        assertThat(twin.getDesiredProperties()).containsEntry("mode", "eco");
        assertThat(((Number) twin.getDesiredProperties().get("interval")).intValue()).isEqualTo(5);

        TwinCollection reported = new TwinCollection();
        reported.put("firmware", "1.2.3");
        reported.put("battery", 87);
        ReportedPropertiesUpdateResponse update = twinCall(t -> client.updateReportedProperties(reported, t));
        JsonNode stored = new ObjectMapper().readTree(hub.twin("leaf1").orElseThrow());
        assertThat(stored.path("reported").path("firmware").asText()).isEqualTo("1.2.3");
        assertThat(stored.path("reported").path("battery").asInt()).isEqualTo(87);
        // 2 after the first patch (3 when the SDK lost the first answer and the patch was sent again)
        assertThat(stored.path("reported").path("$version").asLong()).isBetween(2L, 3L);
        assertThat((long) update.getVersion()).isEqualTo(stored.path("reported").path("$version").asLong());

        // a desired change made on the hub side reaches the SDK's desired-property callback
        EdgeTwins.DesiredChange change = twins.setDesired("leaf1", "{\"interval\":10,\"mode\":\"eco\"}").orElseThrow();
        server.pushDesired(ClientIdentity.device("leaf1"), change.version(), change.patchJson());
        Twin patch = desiredPatches.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(patch).isNotNull();
        assertThat(((Number) patch.getDesiredProperties().get("interval")).intValue()).isEqualTo(10);
        assertThat(patch.getDesiredProperties().getVersion()).isEqualTo((int) change.version());

        // a direct method through the hub's MethodInvoker, answered by the SDK's callback
        client.subscribeToMethods((name, payload, context) -> {
            methodCalls.add(name + " " + payload.getPayloadAsJsonString());
            return name.equals("reboot") ? new DirectMethodResponse(200, Map.of("rebooting", true, "delay",
                    payload.getPayloadAsJsonElement().getAsJsonObject().get("delay").getAsInt()))
                    : new DirectMethodResponse(404, Map.of("message", "unknown method " + name));
        }, null);
        MethodResponse answer = hub.invoke("leaf1", Optional.empty(), "reboot", "{\"delay\":3}", WAIT);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(answer.payloadJson()))
                .isEqualTo(new ObjectMapper().readTree("{\"rebooting\":true,\"delay\":3}"));
        assertThat(methodCalls.poll()).isEqualTo("reboot {\"delay\":3}");
        assertThat(hub.invoke("leaf1", Optional.empty(), "selfDestruct", "{}", WAIT).status()).isEqualTo(404);
        assertThat(hub.list()).extracting(c -> c.identity()).contains("leaf1");
    }

    @Test
    void givenTwoSdkModules_whenAOutputIsRoutedToBsInput_thenBsInputCallbackGetsTheMessageWithItsProperties()
            throws Exception {
        Identity sensor = identities.moduleIdentity(DEVICE, "sensor");
        Identity filter = identities.moduleIdentity(DEVICE, "filter");
        router.putRoute(new RouteDefinition("sensorToFilter", "FROM /messages/modules/sensor/outputs/temperatureOutput "
                + "INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 0, 0, RouteDefinition.FROM_SHELL));
        hub.applyDesired(Map.of("filter", "{\"TemperatureThreshold\":25}"), "d1");

        ModuleClient receiver = new ModuleClient(connectionString(filter), IotHubClientProtocol.MQTT, sdkOptions());
        closeables.add(receiver::close);
        BlockingQueue<Message> inputs = new LinkedBlockingQueue<>();
        receiver.setMessageCallback("input1", (message, context) -> {
            inputs.add(message);
            return IotHubMessageResult.COMPLETE;
        }, null);
        receiver.open(false);
        receiver.subscribeToDesiredProperties((twin, context) -> { }, null);
        assertThat(twinCall(receiver::getTwin).getDesiredProperties()).containsKey("TemperatureThreshold");
        ModuleClient sender = new ModuleClient(connectionString(sensor), IotHubClientProtocol.MQTT, sdkOptions());
        closeables.add(sender::close);
        sender.open(false);
        await().atMost(WAIT).until(() -> hub.list().stream().anyMatch(c -> c.identity().equals(DEVICE + "/filter")
                && c.subscriptions().contains("devices/" + DEVICE + "/modules/filter/inputs/#")));

        Message reading = new Message("{\"machine\":{\"temperature\":42.5}}");
        reading.setMessageId("r-1");
        reading.setCorrelationId("c-1");
        reading.setContentType("application/json");
        reading.setContentEncoding("utf-8");
        reading.setProperty("sequenceNumber", "1");
        sender.sendEvent(reading, "temperatureOutput");

        Message received = inputs.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received).as("filter's input1 callback").isNotNull();
        assertThat(new String(received.getBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"machine\":{\"temperature\":42.5}}");
        assertThat(received.getInputName()).isEqualTo("input1");
        assertThat(received.getMessageId()).isEqualTo("r-1");
        assertThat(received.getCorrelationId()).isEqualTo("c-1");
        assertThat(received.getContentType()).isEqualTo("application/json");
        assertThat(received.getContentEncoding()).isEqualTo("utf-8");
        assertThat(received.getProperty("sequenceNumber")).isEqualTo("1");
        // SDK 2.5.0 keeps the bag's $.cdid and $.cmid (the sender, set by the hub) as properties of those names
        assertThat(received.getProperty("$.cdid")).isEqualTo(DEVICE);
        assertThat(received.getProperty("$.cmid")).isEqualTo("sensor");
        await().atMost(WAIT).until(() -> store.stats(Endpoints.moduleInput("filter", "input1")).length() == 0);
        assertThat(inputs.poll(500, TimeUnit.MILLISECONDS)).as("one delivery").isNull();
    }

    // ---- helpers

    private String connectionString(Identity identity) {
        return "HostName=" + HUB + ";DeviceId=" + identity.deviceId()
                + identity.moduleId().map(m -> ";ModuleId=" + m).orElse("")
                + ";SharedAccessKey=" + identity.primaryKey().orElseThrow() + ";GatewayHostName=" + gateway;
    }

    /** What a leaf device or module does with the gateway's trust bundle: an SSL context trusting only it. */
    /** A twin request of Azure's SDK, given the SDK's timeout in milliseconds. */
    @FunctionalInterface
    private interface TwinCall<T> {
        T call(int timeoutMillis) throws Exception;
    }

    /**
     * Runs a twin request of Azure's SDK, again when the SDK reports a time-out. Azure's SDK 2.5.0 can lose the
     * answer to a twin request: the MQTT thread that receives the answer hands it to the SDK's receive thread before
     * looking up the request's callback ({@code IotHubTransport.onMessageReceived}), and the receive thread, once it
     * acknowledged the answer, removes that callback on a thread of its own. When that removal wins, the call waits
     * for its time-out although the hub answered at once (the SDK's debug log shows the answer arriving). An
     * application retries such a call; so does this test, and it asserts the answer it then gets.
     */
    private static <T> T twinCall(TwinCall<T> call) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call(TWIN_CALL_TIMEOUT_MILLIS);
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || attempt == TWIN_CALL_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ClientOptions sdkOptions() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(certificates.trustBundlePem().getBytes(StandardCharsets.US_ASCII)))) {
            trust.setCertificateEntry("edge-ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(null, tmf.getTrustManagers(), null);
        return ClientOptions.builder().sslContext(context).build();
    }

    /** A module of the edge device as a Paho client subscribed to its inputs; each delivery as "topic body". */
    private BlockingQueue<String> pahoModule(String module) throws Exception {
        Identity identity = identities.moduleIdentity(DEVICE, module);
        MqttClient client = new MqttClient("ssl://" + gateway + ":" + server.tlsPort(), identity.name(), new MemoryPersistence());
        closeables.add(() -> {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 1000);
            }
            client.close(true);
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(HUB + "/" + identity.name() + "/?api-version=2021-04-12");
        options.setPassword(io.outpost.security.SasToken.create(identity.resource(HUB), identity.primaryKey()
                .orElseThrow(), java.time.Instant.now().plusSeconds(3600)).toCharArray());
        options.setSocketFactory(sdkOptions().getSslContext().getSocketFactory());
        client.connect(options);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        client.subscribe("devices/" + DEVICE + "/modules/" + module + "/inputs/#", 1,
                (topic, message) -> received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        return received;
    }

    /** Sends each module-input queue's messages to the module and acknowledges them after its PUBACK. */
    private void pumpInputs(ModuleInputDelivery delivery) {
        while (pumping.get()) {
            boolean idle = true;
            for (String endpoint : store.endpoints()) {
                if (!Endpoints.isModuleInput(endpoint)) {
                    continue;
                }
                try {
                    List<StoredMessage> batch = store.poll(endpoint, 10, Duration.ofMillis(20));
                    for (StoredMessage m : batch) {
                        idle = false;
                        try {
                            delivery.send(endpoint, m);
                            store.ack(endpoint, List.of(m.id()));
                        } catch (OutpostException e) {
                            store.release(endpoint); // not connected or subscribed yet: try again
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!pumping.get()) {
                        return;
                    }
                }
            }
            if (idle) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
