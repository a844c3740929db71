package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.security.SasToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Issue 6's acceptance, end to end with real processes on this machine: one Outpost Cloud ({@code install.sh
 * --profile cloud}) and two Outpost Edges (devices A and B, tagged {@code site=A} and {@code site=B}), each edge
 * driving a Docker engine of its own ({@link PrivateDockerEngine}: the agents name containers after their
 * modules, and both devices run the same modules once B moves to site A). A's cloud link authenticates with a
 * SAS key, B's with the self-signed X.509 certificate it creates, registered in the cloud by the thumbprint
 * {@code edge:cloud-cert} shows. Everything listens on free ports of 127.0.0.1. The tests are phases of one scenario and run in name order:
 * <ol>
 * <li>a base deployment for {@code tags.site='A'} runs its module on A only; counts 1/1/1/0;</li>
 * <li>a layered deployment of higher priority adds a module on A;</li>
 * <li>B, running site B's deployment, is re-tagged {@code site=A} and converges to site A's base and layer;</li>
 * <li>a deployment whose module cannot start (an image that does not exist, pull policy never) is rolled back
 * on B and counted in {@code reportedFailedCount};</li>
 * <li>offline: the cloud is stopped for exactly 2 minutes while a leaf device of A sends telemetry routed to
 * {@code $upstream} with a TTL; every message within its TTL arrives, the others are counted expired on A;</li>
 * <li>a cloud-to-device message to a leaf of A that is away from A's hub waits in the cloud's queue (never
 * attempted) and arrives once the leaf connects to A's hub and subscribes; the cloud then counts it delivered.</li>
 * </ol>
 * Phase timings are printed (failsafe's {@code CloudFleetE2EIT-output.txt}).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CloudFleetE2EIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DEVICE_A = "fleet-" + RUN + "-a";
    private static final String DEVICE_B = "fleet-" + RUN + "-b";
    private static final String LEAF = "leaf-" + RUN;
    private static final String LEAF_C2D = "leaf-c2d-" + RUN;
    private static final String MODULE_A = "site-a-" + RUN;
    private static final String MODULE_B = "site-b-" + RUN;
    private static final String MODULE_LAYER = "layer-" + RUN;
    private static final String MODULE_BROKEN = "broken-" + RUN;
    private static final String IMAGE = "outpost/base-busybox:1";
    private static final String MISSING_IMAGE = "outpost-it/missing-" + RUN + ":1";
    private static final int ROLLBACK_WINDOW_SECS = 20;
    /** TTL of the $upstream route: with the 120 s outage, what was sent early in it expires. */
    private static final int TTL_SECS = 100;
    private static final Duration OUTAGE = Duration.ofMinutes(2);
    private static final String ROUTES = "{\"up\": {\"route\": \"FROM /messages/* INTO $upstream\", \"timeToLiveSecs\": "
            + TTL_SECS + "}}";
    private static final Duration LONG = Duration.ofMinutes(4);
    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Duration> TIMINGS = new LinkedHashMap<>();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool();

    private static InstalledAssembly cloud;
    private static InstalledAssembly edgeA;
    private static InstalledAssembly edgeB;
    private static PrivateDockerEngine engineA;
    private static PrivateDockerEngine engineB;
    private static String token;

    @BeforeClass
    public static void installAndStart() throws Exception {
        Path repo = DeploymentE2EIT.repoRoot();
        phase("prerequisites (engine check, base images)", () -> {
            ProcessRunner here = new ProcessRunner(repo.toFile(), Map.of());
            ProcessRunner.Result check = here.run(Duration.ofMinutes(1), "scripts/docker-engine.sh", "--check");
            if (check.exitCode() != 0) {
                fail("no Docker engine answers: start one with scripts/docker-engine.sh; " + check.output());
            }
            here.run(Duration.ofMinutes(5), "scripts/base-images.sh").assertExit(0);
            return null;
        });
        phase("install one cloud, two edges, two private engines", () -> {
            CompletableFuture<PrivateDockerEngine> a = CompletableFuture.supplyAsync(() -> engine(), THREADS);
            CompletableFuture<PrivateDockerEngine> b = CompletableFuture.supplyAsync(() -> engine(), THREADS);
            cloud = InstalledAssembly.install(InstalledAssembly.Profile.CLOUD);
            cloud.fleetApplySecs(5);
            edgeA = InstalledAssembly.install();
            edgeB = InstalledAssembly.install();
            engineA = a.join();
            engineB = b.join();
            configureEdge(edgeA, DEVICE_A, engineA);
            configureEdge(edgeB, DEVICE_B, engineB);
            return null;
        });
        phase("first start of the three (in parallel)", () -> {
            List<CompletableFuture<ProcessRunner.Result>> starts = new ArrayList<>();
            for (InstalledAssembly installed : List.of(cloud, edgeA, edgeB)) {
                starts.add(CompletableFuture.supplyAsync(() -> installed.outpost(LONG, "start"), THREADS));
            }
            starts.forEach(s -> s.join().assertExit(0));
            return null;
        });
        phase("register A (site=A, SAS key) and B (site=B, X.509 certificate), link the edges", () -> {
            token = cloud.adminToken(Duration.ofMinutes(2));
            Map<String, String> link = Map.of("backoffMaxMs", "2000", "reportIntervalSecs", "2");
            JsonNode created = JSON.readTree(cloud.apiExpect("POST", "/devices", token,
                    "{\"deviceId\": \"" + DEVICE_A + "\", \"tags\": {\"site\": \"A\"}}", 201));
            String key = created.path("authentication").path("symmetricKey").path("primaryKey").asText();
            assertTrue("a SAS key for " + DEVICE_A + ": " + created, !key.isEmpty());
            edgeA.linkTo(cloud, DEVICE_A, key, link);

            // B creates its own certificate; the operator registers B with the thumbprint edge:cloud-cert shows
            edgeB.linkWithCertificate(cloud, DEVICE_B, link);
            String thumbprint = await("B's device certificate").atMost(CONVERGE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> sha256Thumbprint(edgeB.outpost(Duration.ofMinutes(1), "shell", "edge:cloud-cert")
                            .output()), t -> !t.isEmpty());
            created = JSON.readTree(cloud.apiExpect("POST", "/devices", token, "{\"deviceId\": \"" + DEVICE_B
                    + "\", \"tags\": {\"site\": \"B\"}, \"authentication\": {\"type\": \"x509\", "
                    + "\"x509Thumbprint\": {\"primaryThumbprint\": \"" + thumbprint + "\"}}}", 201));
            assertEquals(created.toString(), "x509", created.path("authentication").path("type").asText());
            for (String device : List.of(DEVICE_A, DEVICE_B)) {
                await(device + " connected to the cloud").atMost(CONVERGE).pollInterval(Duration.ofSeconds(1))
                        .until(() -> get("/devices/" + device).path("connectionState").asText(), "Connected"::equals);
            }
            return null;
        });
    }

    @AfterClass
    public static void stopAndClean() {
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (InstalledAssembly installed : new InstalledAssembly[] {cloud, edgeA, edgeB}) {
            if (installed != null) {
                stops.add(CompletableFuture.runAsync(() -> installed.outpost(Duration.ofMinutes(2), "stop"), THREADS));
            }
        }
        stops.forEach(s -> {
            try {
                s.join();
            } catch (RuntimeException e) {
                System.out.println("stop failed: " + e);
            }
        });
        for (PrivateDockerEngine engine : new PrivateDockerEngine[] {engineA, engineB}) {
            if (engine != null) {
                engine.close();
            }
        }
        THREADS.shutdown();
        System.out.println("phase timings:");
        TIMINGS.forEach((name, took) -> System.out.printf("  %-70s %5d s%n", name, took.toSeconds()));
    }

    @Test
    public void a_givenDevicesTaggedAAndB_whenDeploymentTargetsSiteA_thenOnlyARunsItAndCloudCountsIt() throws Exception {
        phase("a: deployment for site A converges on A", () -> {
            createDeployment("site-a", "tags.site='A'", 10, false,
                    Manifest.of(Manifest.member(MODULE_A, IMAGE, "always"), ROUTES));

            awaitRunning(engineA, DEVICE_A, Set.of(MODULE_A));
            awaitMetrics("site-a", 1, 1, 1, 0);

            assertEquals("B runs nothing", Set.of(), containers(engineB, DEVICE_B, true));
            JsonNode status = get("/deployments/site-a").path("devices");
            assertEquals(status.toString(), 1, status.size());
            assertEquals(DEVICE_A, status.get(0).path("deviceId").asText());
            assertEquals("succeeded", status.get(0).path("status").asText());
            return null;
        });
    }

    @Test
    public void b_givenSiteADeployment_whenLayeredDeploymentWithHigherPriority_thenItAddsItsModuleOnTop()
            throws Exception {
        phase("b: layered deployment adds a module on A", () -> {
            createDeployment("layer-a", "tags.site='A'", 20, true, "{\"modulesContent\": {\"$edgeAgent\": "
                    + "{\"properties.desired.modules." + MODULE_LAYER + "\": " + Manifest.module(IMAGE, "always") + "}}}");

            awaitRunning(engineA, DEVICE_A, Set.of(MODULE_A, MODULE_LAYER));
            awaitMetrics("layer-a", 1, 1, 1, 0);
            awaitMetrics("site-a", 1, 1, 1, 0);
            JsonNode configuration = get("/devices/" + DEVICE_A + "/configuration");
            assertEquals(configuration.toString(), "site-a", configuration.path("base").asText());
            assertEquals(configuration.toString(), "[\"layer-a\"]", configuration.path("layers").toString());
            assertEquals("B still runs nothing", Set.of(), containers(engineB, DEVICE_B, true));
            return null;
        });
    }

    @Test
    public void c_givenBOnSiteB_whenItsTagChangesToA_thenItMovesToSiteAAndConverges() throws Exception {
        phase("c1: deployment for site B converges on B", () -> {
            createDeployment("site-b", "tags.site='B'", 10, false,
                    Manifest.of(Manifest.member(MODULE_B, IMAGE, "always"), ROUTES));
            awaitRunning(engineB, DEVICE_B, Set.of(MODULE_B));
            awaitMetrics("site-b", 1, 1, 1, 0);
            return null;
        });
        phase("c2: B re-tagged site=A moves to site A's base and layer", () -> {
            cloud.apiExpect("PATCH", "/devices/" + DEVICE_B + "/twin", token, "{\"tags\": {\"site\": \"A\"}}", 200);

            awaitRunning(engineB, DEVICE_B, Set.of(MODULE_A, MODULE_LAYER));
            await(MODULE_B + " removed from B").atMost(CONVERGE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> containers(engineB, DEVICE_B, true), Set.of(MODULE_A, MODULE_LAYER)::equals);
            awaitMetrics("site-a", 2, 2, 2, 0);
            awaitMetrics("layer-a", 2, 2, 2, 0);
            awaitMetrics("site-b", 0, 0, 0, 0);
            assertEquals("A is untouched", Set.of(MODULE_A, MODULE_LAYER), containers(engineA, DEVICE_A, false));
            return null;
        });
    }

    @Test
    public void d_givenDeploymentWhoseModuleCannotStart_whenBGetsIt_thenBRollsBackAndCloudCountsItFailed()
            throws Exception {
        phase("d: a module that cannot start is rolled back on B and counted failed", () -> {
            // higher priority than site A's base, for B only; site A's layer still applies on top of it
            createDeployment("broken", "deviceId = '" + DEVICE_B + "'", 30, false,
                    Manifest.of(Manifest.member(MODULE_BROKEN, MISSING_IMAGE, "on-failure"), ROUTES));

            awaitMetrics("broken", 1, 1, 0, 1);
            JsonNode devices = get("/deployments/broken").path("devices");
            assertEquals(devices.toString(), "failed", devices.get(0).path("status").asText());
            awaitMetrics("site-a", 2, 1, 1, 0);

            // rolled back: the last good deployment (site A's base and layer) runs again, the broken module is gone
            awaitRunning(engineB, DEVICE_B, Set.of(MODULE_A, MODULE_LAYER));
            assertEquals(Set.of(MODULE_A, MODULE_LAYER), containers(engineB, DEVICE_B, true));
            String status = edgeB.outpost(Duration.ofMinutes(1), "deployment").assertExit(0).output();
            assertTrue(status, status.contains("rolled back") && status.contains(MODULE_BROKEN));
            JsonNode reported = get("/devices/" + DEVICE_B + "/modules/$edgeAgent/twin")
                    .path("properties").path("reported");
            assertEquals(reported.toString(), 500, reported.path("lastDesiredStatus").path("code").asInt());
            awaitMetrics("broken", 1, 1, 0, 1);
            assertEquals("A is untouched", Set.of(MODULE_A, MODULE_LAYER), containers(engineA, DEVICE_A, false));
            return null;
        });
    }

    @Test
    public void e_givenLeafTelemetryToUpstream_whenCloudStopsForTwoMinutes_thenMessagesWithinTtlArriveAndOthersExpire()
            throws Exception {
        Leaf leaf = phase("e0: leaf device on A, telemetry while the cloud is up", () -> {
            Leaf l = Leaf.register(edgeA, LEAF);
            for (int i = 0; i < 5; i++) {
                l.send("online");
            }
            awaitArrived(l.sent("online"));
            return l;
        });
        long expiredBefore = upstreamColumn(edgeA, 5);

        phase("e1: cloud stopped", () -> {
            cloud.outpost(Duration.ofMinutes(2), "stop").assertExit(0);
            await("the cloud endpoint closed").atMost(Duration.ofMinutes(1)).until(() -> !listening(cloud.endpointPort()));
            return null;
        });
        long stopped = System.nanoTime();
        Instant stoppedAt = Instant.now();
        // Two groups during the outage, with a gap between them so that each message's fate is certain: the
        // first (0-15 s) expires before the cloud is even started again (sent + TTL < 120 s), the second (80-118 s)
        // still has at least TTL - 40 s = 60 s to live when the cloud is started again at 120 s.
        phase("e2: outage (" + OUTAGE.toSeconds() + " s), leaf sending", () -> {
            for (int i = 0; i < 15; i++) {
                sleepUntil(stopped, Duration.ofSeconds(i));
                leaf.send("expiring");
            }
            for (int i = 80; i < 118; i++) {
                sleepUntil(stopped, Duration.ofSeconds(i));
                leaf.send("kept");
            }
            sleepUntil(stopped, OUTAGE);
            return null;
        });
        Instant lastExpiring = leaf.lastAcked("expiring");
        Instant firstKept = leaf.firstSent("kept");
        Instant restarted = Instant.now();
        assertTrue("every 'expiring' message was past its TTL when the cloud was started again",
                lastExpiring.plusSeconds(TTL_SECS).isBefore(restarted));
        phase("e3: cloud started again", () -> {
            cloud.outpost(LONG, "start").assertExit(0);
            return null;
        });
        Instant up = Instant.now();
        assertTrue("the cloud must be back with at least 15 s of the 'kept' messages' TTL left (started at " + up
                + ", first kept message sent " + firstKept + ", TTL " + TTL_SECS + " s)",
                up.plusSeconds(15).isBefore(firstKept.plusSeconds(TTL_SECS)));
        phase("e4: drain: every message within its TTL arrives", () -> {
            for (int i = 0; i < 5; i++) {
                leaf.send("after");
            }
            Set<Integer> expected = new TreeSet<>();
            for (String group : List.of("online", "kept", "after")) {
                expected.addAll(leaf.sent(group));
            }
            awaitArrived(expected);
            await("$upstream drained on A").atMost(CONVERGE).pollInterval(Duration.ofSeconds(2))
                    .until(() -> upstreamColumn(edgeA, 2), n -> n == 0);
            return null;
        });
        leaf.close();

        List<Integer> rows = arrivedRows();
        Set<Integer> unique = new TreeSet<>(rows);
        Set<Integer> expected = new TreeSet<>();
        for (String group : List.of("online", "kept", "after")) {
            expected.addAll(leaf.sent(group));
        }
        long expired = upstreamColumn(edgeA, 5) - expiredBefore;
        System.out.printf("offline: sent %d (online %d, expiring %d, kept %d, after %d); arrived %d rows, %d unique,"
                + " %d duplicates; expired on the edge %d; cloud down %s, back up %s%n", leaf.seq,
                leaf.sent("online").size(), leaf.sent("expiring").size(), leaf.sent("kept").size(),
                leaf.sent("after").size(), rows.size(), unique.size(), rows.size() - unique.size(), expired,
                Duration.between(stoppedAt, restarted).toSeconds() + " s after the stop", up);
        assertEquals("exactly the messages within their TTL arrived (duplicates aside)", expected, unique);
        assertEquals("every message sent early in the outage expired on the edge, counted there",
                leaf.sent("expiring").size(), expired);
        assertEquals("every message sent either arrived or expired", leaf.seq, unique.size() + expired);
    }

    @Test
    public void f_givenLeafBehindAWhileItIsAway_whenCloudSendsItAMessage_thenTheCloudKeepsItUntilTheLeafTakesIt()
            throws Exception {
        Leaf leaf = phase("f0: a leaf of A, registered on A and in the cloud (parent A), away from A's hub", () -> {
            Leaf l = Leaf.register(edgeA, LEAF_C2D);
            l.close();
            cloud.apiExpect("POST", "/devices", token, "{\"deviceId\": \"" + LEAF_C2D + "\", \"parentId\": \""
                    + DEVICE_A + "\"}", 201);
            // A's link connects for the leaf with A's key, as its parent
            await("the leaf's cloud connection through A").atMost(CONVERGE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> get("/devices/" + LEAF_C2D).path("connectionState").asText(), "Connected"::equals);
            return l;
        });
        String messageId = "c2d-" + RUN;
        phase("f1: a message sent while the leaf is away stays queued in the cloud", () -> {
            JsonNode queued = JSON.readTree(cloud.apiExpect("POST", "/devices/" + LEAF_C2D + "/messages", token,
                    "{\"body\": \"open valve\", \"messageId\": \"" + messageId + "\", \"properties\": "
                    + "{\"valve\": \"3\"}}", 202));
            assertEquals(queued.toString(), "queued", queued.path("state").asText());
            // several of the link's report intervals (2 s): it takes nothing while the leaf is not at A's hub
            await("still queued, never attempted").during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20))
                    .until(() -> c2dState(messageId), "queued/0"::equals);
            return null;
        });
        phase("f2: the leaf connects to A's hub and subscribes: the message arrives, the cloud counts it delivered",
                () -> {
                    BlockingQueue<String> received = new LinkedBlockingQueue<>();
                    try (Leaf back = Leaf.reconnect(edgeA, leaf)) {
                        back.receiveC2d(received);
                        String got = received.poll(CONVERGE.toSeconds(), TimeUnit.SECONDS);
                        assertTrue("a cloud-to-device message at the leaf", got != null);
                        assertTrue(got, got.startsWith("devices/" + LEAF_C2D + "/messages/devicebound/")
                                && got.contains("%24.mid=" + messageId) && got.contains("valve=3")
                                && got.endsWith(" open valve"));
                        await("delivered in the cloud").atMost(Duration.ofSeconds(30))
                                .until(() -> c2dState(messageId), s -> s.startsWith("delivered/"));
                    }
                    return null;
                });
    }

    /** {@code <state>/<deliveryCount>} of a cloud-to-device message of {@link #LEAF_C2D} in the cloud's queue. */
    private static String c2dState(String messageId) throws IOException, InterruptedException {
        for (JsonNode m : get("/devices/" + LEAF_C2D + "/messages").path("messages")) {
            if (m.path("messageId").asText().equals(messageId)) {
                return m.path("state").asText() + "/" + m.path("deliveryCount").asInt();
            }
        }
        return "absent";
    }

    // ---- the edges ----

    private static PrivateDockerEngine engine() {
        try {
            return PrivateDockerEngine.start(IMAGE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void configureEdge(InstalledAssembly edge, String device, PrivateDockerEngine engine)
            throws IOException {
        edge.rewrite("etc/io.outpost.container.docker.cfg", Map.of("dockerHost", engine.host()));
        edge.rewrite("etc/io.outpost.agent.cfg", Map.of("deviceId", device, "reconcileIntervalSecs", "2",
                "restartBackoffInitialSecs", "1", "restartBackoffMaxSecs", "4",
                "rollbackWindowSecs", Integer.toString(ROLLBACK_WINDOW_SECS)));
        // the $upstream pump retries soon after the cloud is back
        edge.rewrite("etc/io.outpost.hub.camel.cfg", Map.of("backoffMaxMs", "2000"));
    }

    /** Module names of the device's containers: running ones, or all ({@code docker ps -a}). */
    private static Set<String> containers(PrivateDockerEngine engine, String device, boolean all) {
        List<String> args = new ArrayList<>(List.of("ps"));
        if (all) {
            args.add("-a");
        }
        args.addAll(List.of("--filter", "label=io.outpost.device=" + device, "--format",
                "{{.Label \"io.outpost.module\"}}"));
        String out = engine.docker(Duration.ofMinutes(1), args.toArray(String[]::new)).assertExit(0).output();
        return new TreeSet<>(out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    private static void awaitRunning(PrivateDockerEngine engine, String device, Set<String> modules) {
        await(device + " running " + modules).atMost(CONVERGE).pollInterval(Duration.ofSeconds(1))
                .until(() -> containers(engine, device, false), new TreeSet<>(modules)::equals);
    }

    /** A column of the {@code $upstream} row of {@code edge:endpoint-list} (2: Length, 5: Expired). */
    /** The SHA-256 thumbprint in {@code edge:cloud-cert}'s output ({@code SHA-256 : <hex>}), empty without one. */
    private static String sha256Thumbprint(String cloudCert) {
        return cloudCert.lines().filter(l -> l.startsWith("SHA-256")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("");
    }

    private static long upstreamColumn(InstalledAssembly edge, int column) {
        String out = edge.outpost(Duration.ofMinutes(1), "shell", "edge:endpoint-list").assertExit(0).output()
                .replaceAll("\u001B\\[[0-9;]*m", "");
        for (String line : out.lines().toList()) {
            String[] cells = line.split("\\|");
            if (cells.length > column && cells[0].strip().equals("$upstream")) {
                return Long.parseLong(cells[column].strip());
            }
        }
        throw new AssertionError("no $upstream row in edge:endpoint-list:\n" + out);
    }

    // ---- the cloud ----

    private static void createDeployment(String id, String condition, int priority, boolean layered, String content)
            throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("id", id);
        request.put("targetCondition", condition);
        request.put("priority", priority);
        request.put("layered", layered);
        request.set("content", JSON.readTree(content));
        cloud.apiExpect("POST", "/deployments", token, JSON.writeValueAsString(request), 201);
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(cloud.apiExpect("GET", path, token, null, 200));
    }

    private static void awaitMetrics(String deployment, int targeted, int applied, int succeeded, int failed) {
        String want = "targeted=" + targeted + " applied=" + applied + " succeeded=" + succeeded + " failed=" + failed;
        await(deployment + " counts " + want).atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode m = get("/deployments/" + deployment).path("metrics");
            return "targeted=" + m.path("targetedCount").asInt() + " applied=" + m.path("appliedCount").asInt()
                    + " succeeded=" + m.path("reportedSuccessfulCount").asInt()
                    + " failed=" + m.path("reportedFailedCount").asInt();
        }, want::equals);
    }

    /** The sequence numbers of this run's leaf messages in A's telemetry, one per stored row (duplicates kept). */
    private static List<Integer> arrivedRows() throws IOException, InterruptedException {
        List<Integer> seqs = new ArrayList<>();
        for (JsonNode message : get("/devices/" + DEVICE_A + "/telemetry?limit=1000")) {
            JsonNode body = message.path("body");
            if (RUN.equals(body.path("run").asText())) {
                seqs.add(body.path("seq").asInt());
            }
        }
        return seqs;
    }

    private static void awaitArrived(Collection<Integer> expected) {
        await("messages " + expected + " in the cloud").atMost(CONVERGE).pollInterval(Duration.ofSeconds(1))
                .until(() -> new TreeSet<>(arrivedRows()).containsAll(expected));
    }

    // ---- helpers ----

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepUntil(long startNanos, Duration offset) throws InterruptedException {
        long wait = startNanos + offset.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static <T> T phase(String name, Callable<T> body) throws Exception {
        long start = System.nanoTime();
        System.out.println("phase start: " + name);
        try {
            return body.call();
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            TIMINGS.put(name, took);
            System.out.println("phase done: " + name + " in " + took.toSeconds() + " s");
        }
    }

    /**
     * A leaf device of edge A ({@code edge:device-add}, SAS key), publishing telemetry with Paho over TLS to A's
     * hub: {@code {"run": RUN, "seq": n, "group": g}}; a send returns on the hub's PUBACK, when the message is
     * durable in the $upstream queue.
     */
    private static final class Leaf implements AutoCloseable {
        private final String id;
        private final String hub;
        private final String key;
        private final MqttClient client;
        private final Map<String, List<Integer>> sent = new HashMap<>();
        private final Map<String, List<Instant>> times = new HashMap<>();
        private final Map<String, List<Instant>> acked = new HashMap<>();
        private int seq;

        private Leaf(String id, String hub, String key, MqttClient client) {
            this.id = id;
            this.hub = hub;
            this.key = key;
            this.client = client;
        }

        /** Registers the leaf on the edge ({@code edge:device-add}) and connects it to the edge's hub. */
        static Leaf register(InstalledAssembly edge, String id) throws Exception {
            String out = edge.outpost(Duration.ofMinutes(1), "shell", "edge:device-add", id).assertExit(0).output();
            Matcher connection = Pattern.compile("HostName=([^;\\s]+);DeviceId=" + Pattern.quote(id)
                    + ";SharedAccessKey=([^;\\s]+)").matcher(out);
            assertTrue("a connection string in:\n" + out, connection.find());
            return connect(edge, id, connection.group(1), connection.group(2));
        }

        /** Connects the same leaf again (a new client). */
        static Leaf reconnect(InstalledAssembly edge, Leaf leaf) throws Exception {
            return connect(edge, leaf.id, leaf.hub, leaf.key);
        }

        private static Leaf connect(InstalledAssembly edge, String id, String hub, String key) throws Exception {

            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(edge.prefix.resolve("data/outpost/security/trust-bundle.pem"))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);

            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setUserName(hub + "/" + id + "/?api-version=2021-04-12");
            options.setPassword(SasToken.create(hub + "/devices/" + id, key, Instant.now().plus(Duration.ofHours(1)))
                    .toCharArray());
            options.setSocketFactory(tls.getSocketFactory());
            options.setKeepAliveInterval(30);
            MqttClient client = new MqttClient("ssl://127.0.0.1:" + edge.hubPort(), id, new MemoryPersistence());
            client.setTimeToWait(30_000);
            client.connect(options);
            return new Leaf(id, hub, key, client);
        }

        /** Subscribes to the leaf's cloud-to-device messages; each arrives in {@code into} as "topic body". */
        void receiveC2d(BlockingQueue<String> into) throws MqttException {
            client.subscribe("devices/" + id + "/messages/devicebound/#", 1, (topic, message) ->
                    into.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        }

        void send(String group) throws MqttException {
            int n = ++seq;
            String body = "{\"run\": \"" + RUN + "\", \"seq\": " + n + ", \"group\": \"" + group + "\"}";
            Instant before = Instant.now();
            client.publish("devices/" + id + "/messages/events/", body.getBytes(StandardCharsets.UTF_8), 1, false);
            sent.computeIfAbsent(group, g -> new ArrayList<>()).add(n);
            // the hub enqueued it between these two instants
            times.computeIfAbsent(group, g -> new ArrayList<>()).add(before);
            acked.computeIfAbsent(group, g -> new ArrayList<>()).add(Instant.now());
        }

        List<Integer> sent(String group) {
            return sent.getOrDefault(group, List.of());
        }

        /** When the group's first message was published (it was enqueued after this). */
        Instant firstSent(String group) {
            return times.get(group).get(0);
        }

        /** When the group's last message was acknowledged by the hub (it was enqueued before this). */
        Instant lastAcked(String group) {
            List<Instant> t = acked.get(group);
            return t.get(t.size() - 1);
        }

        @Override
        public void close() throws MqttException {
            client.disconnect();
            client.close();
        }
    }
}
