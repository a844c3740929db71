package io.outpost.cloud.endpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.MethodResponse;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.cloud.store.testing.Fixtures;
import io.outpost.common.SystemClock;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device endpoint with real Paho clients over TLS and a real H2 store. */
@Tag("integration")
class CloudEndpointTest {

    static final String KEY_A = "a2V5LW9mLWRldmljZS1hLTEyMzQ1Ng==";
    static final String KEY_B = "a2V5LW9mLWRldmljZS1iLTEyMzQ1Ng==";
    static final String KEY_GW = "a2V5LW9mLWdhdGV3YXktMTIzNDU2Nzg=";


    @TempDir
    Path dir;

    CloudStoreFixture store;
    CloudEndpoint endpoint;
    DeviceClients clients;
    final List<MqttClient> open = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 100, SystemClock.INSTANCE);
        store.registry().create("dev-a", new DeviceAuth.SymmetricKeys(KEY_A, ""), "{}");
        store.registry().create("dev-b", new DeviceAuth.SymmetricKeys(KEY_B, ""), "{}");
        store.registry().create("gw-1", new DeviceAuth.SymmetricKeys(KEY_GW, ""), "{\"site\": \"A\"}");
        endpoint = CloudEndpoint.start(EndpointSettings.forTest(dir.resolve("endpoint"), freePort()), store.registry(),
                store.twins(), store.deployments(), store.telemetry(), store.c2d(), C2dSettings.defaults(), SystemClock.INSTANCE);
        clients = new DeviceClients(dir.resolve("endpoint").resolve("trust-bundle.pem"), endpoint.port());
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

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    MqttClient connect(String identity, String key) throws Exception {
        MqttClient c = clients.connect(identity, key);
        open.add(c);
        return c;
    }

    int refusal(String identity, String key) {
        MqttException e = catchThrowableOfType(MqttException.class, () -> connect(identity, key));
        assertThat(e).as("connecting as %s must fail", identity).isNotNull();
        return e.getReasonCode();
    }

    @Test
    void givenRegisteredDevice_whenItConnectsWithItsKey_thenAcceptedAndMarkedConnected() throws Exception {
        MqttClient a = connect("dev-a", KEY_A);

        assertThat(a.isConnected()).isTrue();
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                store.registry().get("dev-a").orElseThrow().connectionState() == ConnectionState.CONNECTED);
        assertThat(store.registry().get("dev-a").orElseThrow().lastActivity()).isPresent();
        assertThat(endpoint.messaging().connected()).containsExactly("dev-a");

        a.disconnect();
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                store.registry().get("dev-a").orElseThrow().connectionState() == ConnectionState.DISCONNECTED);
    }

    @Test
    void givenWrongKeyOtherIdentityUnknownOrDisabledDevice_whenConnecting_thenRefused() throws Exception {
        store.registry().create("dev-off", new DeviceAuth.SymmetricKeys(KEY_A, ""), "{}");
        store.registry().setEnabled("dev-off", false);

        assertThat(refusal("dev-a", KEY_B)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("dev-b", KEY_A)).as("A's key does not open B").isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("nobody", KEY_A)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("dev-off", KEY_A)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("dev-b/$edgeAgent", KEY_A)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(store.registry().get("dev-off").orElseThrow().connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void givenChildOfGateway_whenGatewayKeySignsForIt_thenAcceptedButNotForNonChildrenOrChildModules()
            throws Exception {
        store.registry().create("leaf-1", new DeviceAuth.SymmetricKeys(KEY_B, ""), "{}", Optional.of("gw-1"));

        MqttClient leaf = connect("leaf-1", KEY_GW);

        assertThat(leaf.isConnected()).isTrue();
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                store.registry().get("leaf-1").orElseThrow().connectionState() == ConnectionState.CONNECTED);
        assertThat(refusal("dev-a", KEY_GW)).as("the gateway's key does not open a device outside its scope")
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("leaf-1/mod", KEY_GW)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(refusal("gw-1", KEY_B)).as("the child's key does not open its parent")
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        store.registry().setEnabled("gw-1", false);
        assertThat(refusal("leaf-1", KEY_GW)).as("a disabled parent speaks for no child")
                .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    @Test
    void givenTwoDevices_whenAReadsItsTwin_thenItSeesOnlyItsOwnAndCannotSubscribeToB() throws Exception {
        store.twins().update(TwinId.device("dev-b"), TwinPatch.merge(TwinSection.REPORTED, "{\"secret\": \"b-only\"}"));
        store.twins().update(TwinId.device("dev-a"), TwinPatch.merge(TwinSection.DESIRED, "{\"mine\": 1}"));
        MqttClient a = connect("dev-a", KEY_A);
        BlockingQueue<String[]> answers = new LinkedBlockingQueue<>();
        a.subscribe("$iothub/twin/res/#", 1, (t, m) -> answers.add(new String[] {t, text(m)}));

        a.publish("$iothub/twin/GET/?$rid=1", new MqttMessage(new byte[0]));
        String[] answer = answers.poll(10, TimeUnit.SECONDS);

        assertThat(answer).isNotNull();
        assertThat(answer[0]).startsWith("$iothub/twin/res/200/?$rid=1");
        assertThat(answer[1]).contains("\"mine\":1").doesNotContain("b-only");
        MqttException refused = catchThrowableOfType(MqttException.class,
                () -> a.subscribe("devices/dev-b/messages/devicebound/#", 1));
        assertThat(refused).as("subscribing to B's messages is refused").isNotNull();
    }

    @Test
    void givenDeviceTelemetry_whenPubackArrives_thenTheMessageIsAlreadyStored() throws Exception {
        MqttClient a = connect("dev-a", KEY_A);
        MqttMessage m = new MqttMessage("{\"t\": 21.5}".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);

        a.publish("devices/dev-a/messages/events/%24.mid=m-1&%24.ct=application%2Fjson&site=A", m);

        List<TelemetryMessage> stored = store.telemetry().recent("dev-a", 10);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).properties()).containsEntry("$.mid", "m-1").containsEntry("site", "A")
                .containsEntry("$.ct", "application/json").containsEntry("$.cdid", "dev-a");
        assertThat(new String(stored.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"t\": 21.5}");
        assertThat(stored.get(0).moduleId()).isEmpty();
    }

    @Test
    void givenModuleSignedWithDeviceKey_whenItSendsTelemetry_thenTheModuleIsRegisteredAndKeptAsSender() throws Exception {
        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));
        MqttClient sensor = connect("gw-1/sensor", KEY_GW);
        MqttMessage m = new MqttMessage("1".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);

        sensor.publish("devices/gw-1/modules/sensor/messages/events/", m);

        assertThat(store.registry().getModule("gw-1", "sensor")).isPresent();
        TelemetryMessage stored = store.telemetry().recent("gw-1", 1).get(0);
        assertThat(stored.moduleId()).contains("sensor");
        assertThat(stored.properties()).containsEntry("$.cmid", "sensor");
    }

    @Test
    void givenEdgeAgentConnected_whenAFleetDeploymentTargetsItsDevice_thenTheDesiredDeploymentIsPushed() throws Exception {
        MqttClient agent = connect("gw-1/$edgeAgent", KEY_GW);
        BlockingQueue<String[]> pushes = new LinkedBlockingQueue<>();
        BlockingQueue<String[]> answers = new LinkedBlockingQueue<>();
        agent.subscribe("$iothub/twin/PATCH/properties/desired/#", 0, (t, msg) -> pushes.add(new String[] {t, text(msg)}));
        agent.subscribe("$iothub/twin/res/#", 0, (t, msg) -> answers.add(new String[] {t, text(msg)}));
        agent.publish("$iothub/twin/GET/?$rid=g1", new MqttMessage(new byte[0]));
        assertThat(answers.poll(10, TimeUnit.SECONDS)[1]).contains("\"desired\":{\"$version\":1}");

        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));

        String[] push = pushes.poll(10, TimeUnit.SECONDS);
        assertThat(push).as("a desired push").isNotNull();
        long version = store.twins().get(TwinId.module("gw-1", "$edgeAgent")).orElseThrow().desiredVersion();
        assertThat(push[0]).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=" + version);
        assertThat(push[1]).contains("\"sensor\"").contains("sensor:1").contains("\"$version\":" + version);

        MqttMessage reported = new MqttMessage(("{\"lastDesiredVersion\": " + version
                + ", \"lastDesiredStatus\": {\"code\": 200}}").getBytes(StandardCharsets.UTF_8));
        agent.publish("$iothub/twin/PATCH/properties/reported/?$rid=r1", reported);
        String[] ok = answers.poll(10, TimeUnit.SECONDS);
        assertThat(ok[0]).startsWith("$iothub/twin/res/204/?$rid=r1");
        assertThat(store.twins().get(TwinId.module("gw-1", "$edgeAgent")).orElseThrow().reported())
                .contains("lastDesiredVersion");
    }

    @Test
    void givenDeviceSubscribedToMethods_whenTheCloudInvokesOne_thenItGetsTheAnswer() throws Exception {
        MqttClient a = connect("dev-a", KEY_A);
        a.subscribe("$iothub/methods/POST/#", 0, (topic, msg) -> {
            String rid = topic.substring(topic.indexOf("$rid=") + 5);
            new Thread(() -> {
                try {
                    a.publish("$iothub/methods/res/200/?$rid=" + rid,
                            new MqttMessage(("{\"echo\": " + text(msg) + "}").getBytes(StandardCharsets.UTF_8)));
                } catch (MqttException e) {
                    throw new IllegalStateException(e);
                }
            }).start();
        });

        MethodResponse response = endpoint.messaging().invokeMethod(TwinId.device("dev-a"), "ping", "{\"n\": 1}",
                Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
        MethodResponse absent = endpoint.messaging().invokeMethod(TwinId.device("dev-b"), "ping", "{}",
                Duration.ofSeconds(5)).toCompletableFuture().get(15, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.payload()).isEqualTo("{\"echo\": {\"n\": 1}}");
        assertThat(absent.status()).isEqualTo(404);
    }

    @Test
    void givenModulesOutsideTheDeployment_whenTheyConnectWithTheDeviceKey_thenIdentitiesUpToTheCapThenRefused() throws Exception {
        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));
        // modules the edge runs from a deployment of its own get identities, up to the cap
        MqttClient local = connect("gw-1/local-0", KEY_GW);
        assertThat(local.isConnected()).isTrue();
        for (int i = 1; i < CloudDialectHost.MAX_UNDEPLOYED_MODULES; i++) {
            store.registry().createModule("gw-1", "local-" + i,
                    new io.outpost.cloud.DeviceAuth.SymmetricKeys(KEY_GW, KEY_GW));
        }

        assertThat(refusal("gw-1/intruder", KEY_GW)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        MqttClient deployed = connect("gw-1/sensor", KEY_GW);
        MqttClient hub = connect("dev-a/$edgeHub", KEY_A);

        assertThat(deployed.isConnected()).isTrue();
        assertThat(hub.isConnected()).as("$edgeAgent and $edgeHub need no deployment").isTrue();
        assertThat(store.registry().getModule("gw-1", "intruder")).isEmpty();
        assertThat(store.registry().modules("gw-1")).extracting(m -> m.moduleId()).contains("sensor");
    }

    @Test
    void givenReportedPatchOver32KiB_whenPublished_thenAnswered413AndTheTwinIsUnchanged() throws Exception {
        MqttClient a = connect("dev-a", KEY_A);
        BlockingQueue<String[]> answers = new LinkedBlockingQueue<>();
        a.subscribe("$iothub/twin/res/#", 1, (t, m) -> answers.add(new String[] {t, text(m)}));
        a.publish("$iothub/twin/PATCH/properties/reported/?$rid=ok", new MqttMessage(
                "{\"kept\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(answers.poll(10, TimeUnit.SECONDS)[0]).startsWith("$iothub/twin/res/204/?$rid=ok");
        var before = store.twins().get(TwinId.device("dev-a")).orElseThrow();

        a.publish("$iothub/twin/PATCH/properties/reported/?$rid=big", new MqttMessage(
                ("{\"big\": \"" + "x".repeat(33_000) + "\"}").getBytes(StandardCharsets.UTF_8)));
        String[] answer = answers.poll(10, TimeUnit.SECONDS);

        assertThat(answer).as("an answer to the oversized patch").isNotNull();
        assertThat(answer[0]).startsWith("$iothub/twin/res/413/?$rid=big");
        assertThat(store.twins().get(TwinId.device("dev-a")).orElseThrow()).isEqualTo(before);
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void givenDeviceTakenOverByItsNewConnection_whenDesiredPropertiesChange_thenTheNewConnectionGetsThePatch()
            throws Exception {
        MqttClient first = clients.connect("dev-a", KEY_A);
        first.subscribe("$iothub/twin/PATCH/properties/desired/#", 0);
        MqttClient second = connect("dev-a", KEY_A);
        BlockingQueue<String[]> pushes = new LinkedBlockingQueue<>();
        BlockingQueue<String[]> answers = new LinkedBlockingQueue<>();
        second.subscribe("$iothub/twin/PATCH/properties/desired/#", 0, (t, m) -> pushes.add(new String[] {t, text(m)}));
        second.subscribe("$iothub/twin/res/#", 0, (t, m) -> answers.add(new String[] {t, text(m)}));
        second.publish("$iothub/twin/GET/?$rid=g", new MqttMessage(new byte[0]));
        assertThat(answers.poll(10, TimeUnit.SECONDS)).isNotNull();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !first.isConnected());
        first.close();

        store.twins().update(TwinId.device("dev-a"), TwinPatch.merge(TwinSection.DESIRED, "{\"interval\": 7}"));

        String[] push = pushes.poll(10, TimeUnit.SECONDS);
        assertThat(push).as("the new connection receives the desired patch").isNotNull();
        assertThat(push[1]).contains("\"interval\":7");
    }

    static String text(MqttMessage m) {
        return new String(m.getPayload(), StandardCharsets.UTF_8);
    }
}
