package io.outpost.cloud.link.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.MethodResponse;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.endpoint.testing.TestCloud;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.cloud.store.testing.Fixtures;
import io.outpost.common.Backoff;
import io.outpost.common.OutpostException;
import io.outpost.common.SystemClock;
import io.outpost.hub.StoredMessage;
import io.outpost.hub.UpstreamStatus;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloud link against the real device endpoint over an H2 store, with Paho over TLS. */
@Tag("integration")
class CloudLinkTest {

    static final String KEY = "ZWRnZS1kZXZpY2Uta2V5LTEyMzQ1Njc4";
    static final String OTHER_KEY = "bGVhZi1kZXZpY2Uta2V5LTEyMzQ1Njc4";


    static final String LAYER = """
            {"$edgeAgent": {"properties.desired.modules.filter": {"version": "1.0", "type": "docker",
               "status": "running", "restartPolicy": "always", "settings": {"image": "filter:1", "createOptions": ""}}},
             "$edgeHub": {"properties.desired.routes.filterUp": "FROM /messages/modules/filter/* INTO $upstream"}}""";

    @TempDir
    Path dir;

    CloudStoreFixture store;
    TestCloud cloud;
    int port;
    RecordingAgent agent = new RecordingAgent();
    HubStandIn hub = new HubStandIn("edge-1");
    /** The leaf devices registered on the edge, as its IdentityService would list them. */
    final List<String> leafIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    CloudLink link;

    @BeforeEach
    void start() throws Exception {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 1000, SystemClock.INSTANCE);
        store.registry().create("edge-1", new DeviceAuth.SymmetricKeys(KEY, ""), "{\"site\": \"A\"}");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cloud = TestCloud.start(store, dir.resolve("cloud"), port);
        LinkSettings settings = new LinkSettings(
                ConnectionString.parse("HostName=cloud.test;DeviceId=edge-1;SharedAccessKey=" + KEY), "127.0.0.1", port,
                TestCloud.trustBundle(dir.resolve("cloud")), Duration.ofMinutes(60),
                new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1)), Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofSeconds(10));
        link = new CloudLink(settings, agent, () -> hub, () -> hub, () -> hub, () -> hub, () -> leafIds,
                SystemClock.INSTANCE, "0.1.0");
        link.start();
    }

    @AfterEach
    void stop() {
        link.close();
        cloud.close();
        store.close();
    }

    @Test
    void givenFleetDeployment_whenTheLinkConnects_thenTheAgentGetsItAndTheCloudCountsItSucceeded() {
        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));

        await().atMost(20, TimeUnit.SECONDS).until(() -> !agent.applied.isEmpty());
        long agentVersion = store.twins().get(TwinId.module("edge-1", "$edgeAgent")).orElseThrow().desiredVersion();
        long hubVersion = store.twins().get(TwinId.module("edge-1", "$edgeHub")).orElseThrow().desiredVersion();
        assertThat(agent.applied.get(0).version()).isEqualTo(agentVersion + "." + hubVersion);
        assertThat(agent.applied.get(0).source()).isEqualTo("cloud");
        assertThat(agent.lastManifest()).contains("\"modulesContent\"").contains("sensor:1")
                .contains("FROM /messages/* INTO $upstream").doesNotContain("$version");

        await().atMost(20, TimeUnit.SECONDS).until(() ->
                store.deployments().metrics("site-a").reportedSuccessfulCount() == 1);
        assertThat(store.deployments().metrics("site-a")).isEqualTo(new DeploymentMetrics(1, 1, 1, 0));
        String reported = store.twins().get(TwinId.module("edge-1", "$edgeAgent")).orElseThrow().reported();
        assertThat(reported).contains("\"lastDesiredVersion\":" + agentVersion).contains("\"code\":200")
                .contains("\"runtimeStatus\":\"running\"").contains("\"restartCount\":0")
                .contains("\"lastStartTimeUtc\":\"2026-01-01T00:00:00Z\"");

        store.deployments().create(FleetDeployment.of("filter-layer", LAYER, "tags.site = 'A'", 20, Map.of(), true));

        // both twins change: the agent may see the new $edgeAgent before the new $edgeHub
        await().atMost(20, TimeUnit.SECONDS).until(() -> agent.lastManifest().contains("filter:1")
                && agent.lastManifest().contains("filterUp"));
        assertThat(agent.lastManifest()).contains("sensor:1");
        await().atMost(20, TimeUnit.SECONDS).until(() ->
                store.deployments().metrics("filter-layer").reportedSuccessfulCount() == 1);
    }

    static final String SENSOR_TWIN = """
            {"sensor": {"properties.desired": {"SendInterval": 5, "unit": "C"}}}""";

    /** Fixtures.SITE with the sensor module twin's desired properties. */
    static String baseWithSensorTwin() {
        return Fixtures.withSection(Fixtures.SITE, SENSOR_TWIN.trim().substring(1, SENSOR_TWIN.trim().length() - 1));
    }

    @Test
    void givenFleetDeploymentWithModuleTwin_whenApplied_thenTheManifestCarriesItAndPatchesFollow() {
        store.deployments().create(FleetDeployment.of("site-a", baseWithSensorTwin(), "tags.site = 'A'", 10,
                Map.of(), false));
        TwinId sensor = TwinId.module("edge-1", "sensor");

        await().atMost(20, TimeUnit.SECONDS).until(() -> !agent.applied.isEmpty()
                && agent.lastManifest().contains("SendInterval"));
        long agentVersion = store.twins().get(TwinId.module("edge-1", "$edgeAgent")).orElseThrow().desiredVersion();
        long hubVersion = store.twins().get(TwinId.module("edge-1", "$edgeHub")).orElseThrow().desiredVersion();
        long sensorVersion = store.twins().get(sensor).orElseThrow().desiredVersion();
        assertThat(agent.applied.get(agent.applied.size() - 1).version())
                .isEqualTo(agentVersion + "." + hubVersion + "." + sensorVersion);
        assertThat(desiredOf(agent.lastManifest(), "sensor"))
                .isEqualTo("{\"SendInterval\":5,\"unit\":\"C\"}");
        await().atMost(20, TimeUnit.SECONDS).until(() ->
                store.deployments().metrics("site-a").reportedSuccessfulCount() == 1);
        assertThat(store.twins().get(TwinId.module("edge-1", "$edgeAgent")).orElseThrow().reported())
                .contains("\"lastDesiredVersion\":" + agentVersion);

        store.twins().update(sensor, TwinPatch.merge(TwinSection.DESIRED, "{\"SendInterval\": 2, \"unit\": null}"));

        await().atMost(20, TimeUnit.SECONDS).until(() ->
                desiredOf(agent.lastManifest(), "sensor").equals("{\"SendInterval\":2}"));
        assertThat(agent.applied.get(agent.applied.size() - 1).version())
                .isEqualTo(agentVersion + "." + hubVersion + "." + (sensorVersion + 1));
        assertThat(agent.lastManifest()).contains("sensor:1").contains("FROM /messages/* INTO $upstream");
    }

    @Test
    void givenModuleReportedInTheHub_whenItChanges_thenTheCloudModuleTwinFollows() {
        hub.reported.put("sensor", "{\"SendInterval\": 5, \"firmware\": \"1.2\"}");
        store.deployments().create(FleetDeployment.of("site-a", baseWithSensorTwin(), "tags.site = 'A'", 10,
                Map.of(), false));
        TwinId sensor = TwinId.module("edge-1", "sensor");

        await().atMost(20, TimeUnit.SECONDS).until(() -> store.twins().get(sensor)
                .map(t -> t.reported().contains("\"firmware\":\"1.2\"")).orElse(false));
        assertThat(store.twins().get(sensor).orElseThrow().reported()).contains("\"SendInterval\":5");

        hub.reported.put("sensor", "{\"SendInterval\": 2}");

        await().atMost(20, TimeUnit.SECONDS).until(() -> store.twins().get(sensor)
                .map(t -> t.reported().contains("\"SendInterval\":2")).orElse(false));
        assertThat(store.twins().get(sensor).orElseThrow().reported()).doesNotContain("firmware");
    }

    @Test
    void givenModuleOfTheDeployment_whenTheCloudCallsAMethodOnIt_thenTheHubsAnswerComesBack() throws Exception {
        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));
        await().atMost(20, TimeUnit.SECONDS).until(() -> cloud.connected().contains("edge-1/sensor"));

        MethodResponse ok = cloud.messaging().invokeMethod(TwinId.module("edge-1", "sensor"), "reset",
                "{\"hard\": true}", Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.payload()).isEqualTo("{\"method\":\"reset\",\"module\":\"sensor\",\"payload\":{\"hard\":true}}");
        assertThat(hub.calls).containsExactly("edge-1/sensor reset");

        MethodResponse absent = cloud.messaging().invokeMethod(TwinId.module("edge-1", "sensor"), "silent",
                "{}", Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertThat(absent.status()).isEqualTo(504);
    }

    @Test
    void givenAModuleLeavesTheDeployment_whenApplied_thenItsConnectionIsClosed() {
        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));
        await().atMost(20, TimeUnit.SECONDS).until(() -> cloud.connected().contains("edge-1/sensor"));

        store.deployments().create(FleetDeployment.of("site-a-2", Fixtures.SITE.replace("\"sensor\"", "\"other\""),
                "tags.site = 'A'", 20, Map.of(), false));

        await().atMost(20, TimeUnit.SECONDS).until(() -> cloud.connected().contains("edge-1/other")
                && !cloud.connected().contains("edge-1/sensor"));
    }

    @Test
    void givenChildLeafRegisteredOnTheEdge_whenTheLinkConnectsForIt_thenTwinMethodsC2dAndTelemetryFlowAsTheLeaf()
            throws Exception {
        store.registry().create("leaf-1", new DeviceAuth.SymmetricKeys(OTHER_KEY, ""), "{}", Optional.of("edge-1"));
        store.twins().update(TwinId.device("leaf-1"), TwinPatch.merge(TwinSection.DESIRED, "{\"interval\": 5}"));
        leafIds.add("leaf-1");

        await().atMost(20, TimeUnit.SECONDS).until(() -> cloud.connected().contains("leaf-1"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> hub.leafDesired.getOrDefault("leaf-1", "")
                .equals("{\"interval\":5}"));

        store.twins().update(TwinId.device("leaf-1"), TwinPatch.merge(TwinSection.DESIRED, "{\"interval\": 9}"));
        await().atMost(20, TimeUnit.SECONDS).until(() -> hub.leafDesired.get("leaf-1").equals("{\"interval\":9}"));

        hub.leafReported.put("leaf-1", "{\"battery\": 87}");
        await().atMost(20, TimeUnit.SECONDS).until(() -> store.twins().get(TwinId.device("leaf-1"))
                .map(t -> t.reported().contains("\"battery\":87")).orElse(false));

        MethodResponse answer = cloud.messaging().invokeMethod(TwinId.device("leaf-1"), "ping", "{\"n\": 1}",
                Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.payload()).isEqualTo("{\"method\":\"ping\",\"module\":\"\",\"payload\":{\"n\":1}}");
        assertThat(hub.calls).containsExactly("leaf-1 ping");

        hub.connectedLeaves.add("leaf-1");
        cloud.messaging().sendToDevice("leaf-1", new CloudToDeviceMessage("c2d-1", Map.of("color", "red"),
                "on".getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !hub.c2d.isEmpty());
        // the cloud's queue adds the address and the expiry IoT Hub sets ($.to, $.exp)
        assertThat(hub.c2d).singleElement().asString().matches("leaf-1 on \\{absoluteExpiryTime=\\d{4}-\\S+Z, "
                + "color=red, messageId=c2d-1, to=/devices/leaf-1/messages/deviceBound}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> c2dStates("leaf-1").equals(List.of(C2dState.DELIVERED)));

        link.upstream().send(leafMessage("l-1", "leaf-1"));
        List<TelemetryMessage> fromLeaf = store.telemetry().recent("leaf-1", 10);
        assertThat(fromLeaf).hasSize(1);
        assertThat(fromLeaf.get(0).properties()).containsEntry("$.mid", "l-1");
        assertThat(store.telemetry().recent("edge-1", 10)).isEmpty();
    }

    /** Registers leaf-1 as the edge's child and waits until the link's connection for it is up. */
    private void leafLinked() {
        store.registry().create("leaf-1", new DeviceAuth.SymmetricKeys(OTHER_KEY, ""), "{}", Optional.of("edge-1"));
        leafIds.add("leaf-1");
        await().atMost(20, TimeUnit.SECONDS).until(() -> cloud.connected().contains("leaf-1"));
    }

    /** The states of the device's messages in the cloud's queue, oldest first. */
    private List<C2dState> c2dStates(String device) {
        return cloud.messaging().deviceMessages(device).stream().map(C2dEntry::state).toList();
    }

    private void sendC2d(String leaf, String id, String body) throws Exception {
        C2dEntry queued = cloud.messaging().sendToDevice(leaf, new CloudToDeviceMessage(id, Map.of(),
                body.getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        assertThat(queued.state()).isEqualTo(C2dState.QUEUED);
    }

    @Test
    void givenLeafNotConnectedToTheEdgeHub_whenC2dIsSent_thenTheCloudKeepsItUntilTheLeafConnectsAndAcknowledges()
            throws Exception {
        leafLinked();
        List<List<C2dState>> atHubDelivery = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        hub.onC2d = leaf -> {
            atHubDelivery.add(c2dStates(leaf));
            if (atHubDelivery.size() == 1) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };

        sendC2d("leaf-1", "c2d-1", "first");
        sendC2d("leaf-1", "c2d-2", "second");

        // the link takes nothing from the cloud while the leaf is away: many report intervals (200 ms) pass
        await().during(1500, TimeUnit.MILLISECONDS).atMost(3, TimeUnit.SECONDS).until(() ->
                hub.c2dRefused.get() == 0 && atHubDelivery.isEmpty());
        assertThat(cloud.messaging().deviceMessages("leaf-1")).extracting(e -> e.message().messageId(), C2dEntry::state,
                C2dEntry::deliveryCount).containsExactly(tuple("c2d-1", C2dState.QUEUED, 0),
                tuple("c2d-2", C2dState.QUEUED, 0));

        hub.connectedLeaves.add("leaf-1");

        // the first message is with the leaf, not yet acknowledged by it: still queued in the cloud
        await().atMost(10, TimeUnit.SECONDS).until(() -> atHubDelivery.size() == 1);
        await().during(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() ->
                c2dStates("leaf-1").equals(List.of(C2dState.QUEUED, C2dState.QUEUED)));
        release.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() ->
                c2dStates("leaf-1").equals(List.of(C2dState.DELIVERED, C2dState.DELIVERED)));
        assertThat(atHubDelivery).containsExactly(List.of(C2dState.QUEUED, C2dState.QUEUED),
                List.of(C2dState.DELIVERED, C2dState.QUEUED));
        assertThat(hub.c2d).hasSize(2);
        assertThat(hub.c2d.get(0)).startsWith("leaf-1 first {").contains("messageId=c2d-1");
        assertThat(hub.c2d.get(1)).startsWith("leaf-1 second {").contains("messageId=c2d-2");
        assertThat(cloud.messaging().deviceMessages("leaf-1")).extracting(C2dEntry::deliveryCount)
                .containsExactly(1, 1);
        assertThat(hub.c2dRefused).hasValue(0);
    }

    @Test
    void givenHubDeliveryFails_whenTheLeafLeavesBeforeItsAck_thenTheCloudKeepsItQueuedAndSendsItOnceTheLeafIsBack()
            throws Exception {
        leafLinked();
        hub.connectedLeaves.add("leaf-1");
        hub.dropNext.set(true);

        sendC2d("leaf-1", "c2d-1", "lost-at-first");

        await().atMost(10, TimeUnit.SECONDS).until(() -> hub.c2dRefused.get() == 1);
        // not acknowledged to the cloud: queued, sent once, and not sent again while the leaf is away
        await().during(1500, TimeUnit.MILLISECONDS).atMost(3, TimeUnit.SECONDS).until(() ->
                hub.c2dRefused.get() == 1 && hub.c2d.isEmpty());
        assertThat(cloud.messaging().deviceMessages("leaf-1")).extracting(C2dEntry::state, C2dEntry::deliveryCount)
                .containsExactly(tuple(C2dState.QUEUED, 1));
        sendC2d("leaf-1", "c2d-2", "queued-meanwhile");

        hub.connectedLeaves.add("leaf-1");

        await().atMost(20, TimeUnit.SECONDS).until(() ->
                c2dStates("leaf-1").equals(List.of(C2dState.DELIVERED, C2dState.DELIVERED)));
        assertThat(hub.c2d).hasSize(2);
        assertThat(hub.c2d.get(0)).startsWith("leaf-1 lost-at-first {").contains("messageId=c2d-1");
        assertThat(hub.c2d.get(1)).startsWith("leaf-1 queued-meanwhile {").contains("messageId=c2d-2");
        assertThat(cloud.messaging().deviceMessages("leaf-1")).extracting(C2dEntry::deliveryCount)
                .containsExactly(2, 1);
        assertThat(hub.c2dRefused).hasValue(1);
    }

    @Test
    void givenLeafLeavesTheEdgeHub_whenMessagesAreSentMeanwhile_thenTheLinkUnsubscribesAndTheyWaitInTheCloud()
            throws Exception {
        leafLinked();
        hub.connectedLeaves.add("leaf-1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> link.leafC2dSubscribed("leaf-1"));
        sendC2d("leaf-1", "c2d-1", "while-here");
        await().atMost(10, TimeUnit.SECONDS).until(() -> c2dStates("leaf-1").equals(List.of(C2dState.DELIVERED)));

        hub.connectedLeaves.remove("leaf-1");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !link.leafC2dSubscribed("leaf-1"));
        sendC2d("leaf-1", "c2d-2", "while-away");

        // the cloud does not even try: the leaf's cloud connection is not subscribed
        await().during(1500, TimeUnit.MILLISECONDS).atMost(3, TimeUnit.SECONDS).until(() ->
                hub.c2dRefused.get() == 0 && hub.c2d.size() == 1);
        assertThat(cloud.messaging().deviceMessages("leaf-1")).extracting(C2dEntry::state, C2dEntry::deliveryCount)
                .containsExactly(tuple(C2dState.DELIVERED, 1), tuple(C2dState.QUEUED, 0));
        assertThat(cloud.connected()).contains("leaf-1");

        hub.connectedLeaves.add("leaf-1");

        await().atMost(10, TimeUnit.SECONDS).until(() ->
                c2dStates("leaf-1").equals(List.of(C2dState.DELIVERED, C2dState.DELIVERED)));
        assertThat(hub.c2d).hasSize(2);
        assertThat(hub.c2d.get(1)).startsWith("leaf-1 while-away {").contains("messageId=c2d-2");
        assertThat(hub.c2dRefused).hasValue(0);
    }

    @Test
    void givenLeafThatIsNotTheEdgesChildInTheCloud_whenTheLinkTriesIt_thenRefusedAndItsMessagesGoOutAsTheEdge() {
        store.registry().create("stranger", new DeviceAuth.SymmetricKeys(OTHER_KEY, ""), "{}");
        leafIds.add("stranger");
        await().atMost(20, TimeUnit.SECONDS).until(() -> link.upstream().status().connected());

        link.upstream().send(leafMessage("s-1", "stranger"));

        assertThat(cloud.connected()).doesNotContain("stranger");
        assertThat(store.telemetry().recent("stranger", 10)).isEmpty();
        assertThat(store.telemetry().recent("edge-1", 10)).hasSize(1);
        assertThat(store.registry().get("stranger").orElseThrow().lastActivity()).isEmpty();
    }

    static StoredMessage leafMessage(String id, String leaf) {
        return new StoredMessage(id, "$upstream", 9, Instant.now(), Instant.now().plusSeconds(3600),
                Map.of("messageId", id, "connectionDeviceId", leaf), Map.of(),
                ("{\"id\": \"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static String desiredOf(String manifest, String module) {
        try {
            return ReportedState.MAPPER.readTree(manifest).path("modulesContent").path(module)
                    .path("properties.desired").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void givenUpstreamMessages_whenSent_thenEachIsStoredInTheCloudBeforeSendReturns() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> link.upstream().status().connected());

        link.upstream().send(message("m-1", null));
        assertThat(store.telemetry().recent("edge-1", 10)).hasSize(1);
        link.upstream().send(message("m-2", "sensor"));

        List<TelemetryMessage> stored = store.telemetry().recent("edge-1", 10);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).moduleId()).contains("sensor");
        assertThat(stored.get(0).properties()).containsEntry("$.mid", "m-2").containsEntry("$.on", "out1")
                .containsEntry("kind", "reading").containsEntry("$.cmid", "sensor");
        assertThat(stored.get(1).moduleId()).isEmpty();
        assertThat(link.upstream().status().sent()).isEqualTo(2);
    }

    @Test
    void givenTheCloudRestarts_whenMessagesWait_thenTheyAreHeldAndDeliveredAfterwardsAndTheOutageIsCounted()
            throws Exception {
        await().atMost(20, TimeUnit.SECONDS).until(() -> link.upstream().status().connected());
        Deque<StoredMessage> queue = new ArrayDeque<>();
        for (int i = 0; i < 20; i++) {
            queue.add(message("q-" + i, i % 2 == 0 ? null : "sensor"));
        }
        link.upstream().send(queue.poll());

        cloud.close();
        await().atMost(20, TimeUnit.SECONDS).until(() -> !link.upstream().status().connected());
        OutpostException held = catchThrowableOfType(OutpostException.class, () -> link.upstream().send(queue.peek()));
        assertThat(held.retryable()).isTrue();
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(1500);
                cloud = TestCloud.start(store, dir.resolve("cloud"), port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        restart.start();

        int failures = drain(queue);
        restart.join();

        assertThat(queue).isEmpty();
        assertThat(failures).as("sends refused while the cloud was down").isPositive();
        assertThat(store.telemetry().recent("edge-1", 100)).hasSize(20);
        UpstreamStatus status = link.upstream().status();
        assertThat(status.connected()).isTrue();
        assertThat(status.outages()).isEqualTo(1);
        assertThat(status.offlineTotal()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(status.sent()).isEqualTo(20);
    }

    /** What the hub's pump does: send the head, remove it once sent, retry a refused one after a pause. */
    private int drain(Deque<StoredMessage> queue) throws InterruptedException {
        int failures = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                link.upstream().send(queue.peek());
                queue.poll();
            } catch (OutpostException e) {
                assertThat(e.retryable()).isTrue();
                failures++;
                Thread.sleep(100);
            }
        }
        return failures;
    }

    @Test
    void givenUpstreamMessageOverTheCloudsLimitOnceReEncoded_whenPumped_thenRefusedAsInvalidAndTheNextOnesArrive() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> link.upstream().status().connected());
        int limit = LinkSettings.DEFAULT_MAX_MESSAGE_BYTES;
        // the module sent the property raw (UTF-8, 2 bytes a character); the link sends it percent-encoded (6 bytes)
        String note = "\u00e9".repeat(200);
        String moduleTopic = "devices/edge-1/modules/sensor/messages/events/note=" + note;
        byte[] body = new byte[limit - 4 - moduleTopic.getBytes(StandardCharsets.UTF_8).length];
        StoredMessage big = new StoredMessage("big-1", "$upstream", 9, Instant.now(), Instant.now().plusSeconds(3600),
                Map.of("messageId", "big-1", "connectionModuleId", "sensor"), Map.of("note", note), body);
        assertThat(UpstreamRelay.encodedSize(moduleTopic, body)).as("size as the module sent it").isEqualTo(limit);
        long sentSize = UpstreamRelay.encodedSize(moduleTopic(big), body);
        assertThat(sentSize).as("size as the link sends it").isGreaterThan(limit);
        StoredMessage fits = sized("fit-1", limit);
        Deque<StoredMessage> queue = new ArrayDeque<>(List.of(big, fits, message("n-1", null),
                message("n-2", "sensor")));

        Map<String, String> deadLettered = pump(queue);

        assertThat(queue).isEmpty();
        assertThat(deadLettered).containsOnlyKeys("big-1");
        assertThat(deadLettered.get("big-1")).contains(sentSize + " bytes").contains("limit of " + limit + " bytes")
                .contains("maxMessageBytes");
        List<TelemetryMessage> stored = store.telemetry().recent("edge-1", 10);
        assertThat(stored).extracting(m -> m.properties().get("$.mid")).containsExactly("n-2", "n-1", "fit-1");
        assertThat(stored.get(2).body()).hasSize(fits.body().length);
        UpstreamStatus status = link.upstream().status();
        assertThat(status.outages()).as("the cloud never dropped the connection").isZero();
        assertThat(status.sent()).isEqualTo(3);
    }

    @Test
    void givenASmallerLimit_whenAMessageExceedsIt_thenRefusedBeforeSendingEvenWhileOffline() throws Exception {
        link.close();
        int nothingListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nothingListens = s.getLocalPort();
        }
        LinkSettings small = new LinkSettings(ConnectionString.parse("HostName=cloud.test;DeviceId=edge-1;"
                + "SharedAccessKey=" + KEY), "127.0.0.1", nothingListens, TestCloud.trustBundle(dir.resolve("cloud")),
                Duration.ofMinutes(60), new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1)),
                Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(10)).withMaxMessageBytes(4096);
        link = new CloudLink(small, agent, () -> hub, () -> hub, () -> hub, () -> hub, () -> leafIds,
                SystemClock.INSTANCE, "0.1.0");
        link.start();

        OutpostException refused = catchThrowableOfType(OutpostException.class,
                () -> link.upstream().send(sized("big-2", 4097)));
        OutpostException held = catchThrowableOfType(OutpostException.class,
                () -> link.upstream().send(sized("fit-2", 4096)));

        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("message big-2 is 4097 bytes").contains("limit of 4096 bytes");
        assertThat(held.retryable()).as("fits: only held while the cloud is away").isTrue();
    }

    @Test
    void givenMaxMessageBytesOutOfRange_whenSettingsAreMade_thenRefusedNamingTheSetting() throws Exception {
        assertThat(CloudLinkComponent.Config.class.getMethod("maxMessageBytes").getDefaultValue()).isEqualTo(262_144);
        LinkSettings settings = new LinkSettings(ConnectionString.parse("HostName=cloud.test;DeviceId=edge-1;"
                + "SharedAccessKey=" + KEY), "127.0.0.1", port, dir.resolve("trust.pem"), Duration.ofMinutes(60),
                new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(1)), Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofSeconds(10));
        assertThat(settings.maxMessageBytes()).isEqualTo(262_144);

        assertThatThrownBy(() -> settings.withMaxMessageBytes(1023)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessageBytes must be 1024..268435455: 1023");
        assertThatThrownBy(() -> settings.withMaxMessageBytes(268_435_456))
                .hasMessage("maxMessageBytes must be 1024..268435455: 268435456");
    }

    /** The topic the link publishes a module's message on. */
    private static String moduleTopic(StoredMessage message) {
        return "devices/edge-1/modules/" + message.systemProperties().get("connectionModuleId") + "/messages/events/"
                + UpstreamRelay.bag(message);
    }

    /** A message of the device itself whose PUBLISH, as the link sends it, is exactly {@code size} bytes. */
    private static StoredMessage sized(String id, int size) {
        StoredMessage empty = message(id, null);
        String topic = "devices/edge-1/messages/events/" + UpstreamRelay.bag(empty);
        byte[] body = new byte[size - 4 - topic.getBytes(StandardCharsets.UTF_8).length];
        java.util.Arrays.fill(body, (byte) 'x');
        return new StoredMessage(id, "$upstream", 9, empty.enqueuedAt(), empty.expiresAt(), empty.systemProperties(),
                empty.properties(), body);
    }

    /**
     * What the hub's pump does with its dead-letter queue: sends the head and removes it once sent; sets a message
     * refused as invalid aside with the reason; retries one refused for now after a pause.
     */
    private Map<String, String> pump(Deque<StoredMessage> queue) {
        Map<String, String> deadLettered = new java.util.LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            try {
                link.upstream().send(queue.peek());
                queue.poll();
            } catch (OutpostException e) {
                if (!e.retryable()) {
                    deadLettered.put(queue.poll().id(), e.getMessage());
                } else {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        return deadLettered;
    }

    static StoredMessage message(String id, String module) {
        Map<String, String> system = module == null ? Map.of("messageId", id)
                : Map.of("messageId", id, "connectionModuleId", module, "outputName", "out1");
        return new StoredMessage(id, "$upstream", 9, Instant.now(), Instant.now().plusSeconds(3600), system,
                Map.of("kind", "reading"), ("{\"id\": \"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
