package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.outpost.iothub.testing.AzureSdkGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * The sample modules, built on Azure's Java device SDK ({@code ModuleClient.createFromEnvironment}, unchanged),
 * deployed by an installed Outpost and talking through its hub: the sensor's readings are routed to the filter's
 * input, the filter's alerts to {@code $upstream}; a desired property changed by a new deployment reaches the
 * sensor; the shell's {@code edge:method-invoke} reaches the filter's {@code reset} method.
 *
 * <p>The SDK always connects to port 8883 of {@code IOTEDGE_GATEWAYHOSTNAME}: this installation's hub listens on
 * 127.0.0.1:8883 (the test fails at once, saying so, when another process has it) and tells modules 127.0.0.1 as
 * gateway; its TLS certificate names it. The modules run on a Docker engine of the test's own ({@link PrivateDockerEngine}), so their container names
 * clash with no one's.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class AzureSdkModulesE2EIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DEVICE = "sdk-" + RUN;
    private static final String SENSOR_IMAGE = "outpost/sim-temp-sensor:1";
    private static final String FILTER_IMAGE = "outpost/filter:1";
    private static final Duration LONG = Duration.ofMinutes(4);

    private static InstalledAssembly outpost;
    private static PrivateDockerEngine engine;
    private static String gateway;

    @BeforeClass
    public static void installAndDeploy() throws IOException {
        Path repo = DeploymentE2EIT.repoRoot();
        ProcessRunner here = new ProcessRunner(repo.toFile(), Map.of("OUTPOST_MVN_ARGS",
                "-o -Dmaven.repo.local=" + System.getProperty("maven.repo.local", System.getProperty("user.home")
                        + "/.m2/repository")));
        ProcessRunner.Result check = here.run(Duration.ofMinutes(1), "scripts/docker-engine.sh", "--check");
        if (check.exitCode() != 0) {
            fail("no Docker engine answers: start one with scripts/docker-engine.sh; " + check.output());
        }
        here.run(Duration.ofMinutes(10), "scripts/sample-images.sh").assertExit(0);
        engine = PrivateDockerEngine.start(SENSOR_IMAGE, FILTER_IMAGE);
        gateway = AzureSdkGateway.loopbackWithFreeMqttPort();
        outpost = InstalledAssembly.install();
        outpost.rewrite("etc/io.outpost.container.docker.cfg", Map.of("dockerHost", engine.host()));
        outpost.rewrite("etc/io.outpost.agent.cfg", Map.of("deviceId", DEVICE, "reconcileIntervalSecs", "2"));
        outpost.rewrite("etc/io.outpost.hub.store.cfg", Map.of("deviceId", DEVICE, "mqttHost", gateway,
                "mqttTlsPort", "8883"));
        outpost.rewrite("etc/io.outpost.security.cfg", Map.of("hostnames", "localhost," + gateway,
                "gatewayHostName", gateway));
        outpost.outpost(LONG, "start").assertExit(0);
        deploy(manifest(1));
    }

    @AfterClass
    public static void stopAndClean() {
        if (outpost != null) {
            outpost.outpost(Duration.ofMinutes(2), "stop");
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    public void a_givenDeployedSdkModules_thenBothConnectThroughTheWorkloadApi() {
        await("sensor and filter connected").atMost(LONG).pollInterval(Duration.ofSeconds(2))
                .until(() -> logs("sensor").contains("module-connected") && logs("filter").contains("module-connected"));
        String clients = shell("edge:client-list");
        assertTrue(clients, clients.contains(DEVICE + "/sensor") && clients.contains(DEVICE + "/filter"));
        assertTrue(logs("sensor"), !logs("sensor").contains("module-environment-incomplete"));
    }

    @Test
    public void b_givenRunningModules_thenReadingsFlowThroughTheFilterToUpstream() {
        await("the filter receives readings and forwards alerts").atMost(LONG).pollInterval(Duration.ofSeconds(2))
                .until(() -> logs("filter").contains("alerts-forwarded"));
        await("alerts queued for $upstream").atMost(LONG).pollInterval(Duration.ofSeconds(2))
                .until(() -> endpointLength("$upstream") > 0);
        String endpoints = shell("edge:endpoint-list");
        assertTrue(endpoints, endpoints.contains("module/filter/input1"));
    }

    @Test
    public void c_givenNewDeploymentChangingADesiredProperty_thenTheSensorFollowsIt() {
        deploy(manifest(2));
        await("the sensor applies SendInterval 2 from a desired patch").atMost(LONG).pollInterval(Duration.ofSeconds(2))
                .until(() -> logs("sensor").lines().anyMatch(l -> l.contains("settings-changed source=patch")
                        && l.contains("sendInterval=PT2S")));
        String twin = shell("edge:twin-show sensor");
        assertTrue(twin, twin.contains("SendInterval"));
    }

    @Test
    public void d_givenRunningFilter_whenResetInvokedFromTheShell_then200WithItsCounters() {
        await("the filter has received readings").atMost(LONG).pollInterval(Duration.ofSeconds(2))
                .until(() -> logs("filter").contains("alerts-forwarded"));
        String out = shell("edge:method-invoke " + DEVICE + "/filter reset '{}'");
        assertTrue(out, out.contains("status: 200"));
        Matcher received = Pattern.compile("\"received\"\\s*:\\s*(\\d+)").matcher(out);
        assertTrue(out, received.find() && Integer.parseInt(received.group(1)) > 0);
        assertTrue(out, out.contains("\"reset\":true") || out.contains("\"reset\" : true"));
        String unknown = shell("edge:method-invoke " + DEVICE + "/filter selfDestruct '{}'");
        assertTrue(unknown, unknown.contains("status: 404"));
    }

    // ---- helpers

    private static void deploy(String manifest) {
        try {
            Path file = Files.writeString(outpost.prefix.resolve("sdk-deployment-" + UUID.randomUUID() + ".json"),
                    manifest);
            String out = outpost.outpost(LONG, "deploy", file.toString(), "--timeout", "180").assertExit(0).output();
            assertTrue(out, out.contains("converged"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String shell(String command) {
        return outpost.outpost(Duration.ofMinutes(1), "shell", command).assertExit(0).output()
                .replaceAll("\u001B\\[[0-9;]*m", "");
    }

    private static String logs(String container) {
        return engine.docker(Duration.ofMinutes(1), "logs", container).output();
    }

    /** The Length column of an endpoint's row in {@code edge:endpoint-list}, or -1. */
    private static long endpointLength(String endpoint) {
        String table = shell("edge:endpoint-list");
        String header = table.lines().filter(l -> l.contains("Length")).findFirst().orElse("");
        String[] names = header.split("\\|");
        int column = -1;
        for (int i = 0; i < names.length; i++) {
            if (names[i].trim().equals("Length")) {
                column = i;
            }
        }
        if (column < 0) {
            throw new AssertionError("no Length column in edge:endpoint-list:\n" + table);
        }
        int c = column;
        return table.lines().map(l -> l.split("\\|")).filter(cells -> cells.length > c)
                .filter(cells -> cells[0].trim().equals(endpoint)).map(cells -> Long.parseLong(cells[c].trim()))
                .findFirst().orElse(-1L);
    }

    /** The sensor (SendInterval {@code interval} s) and the filter, with routes sensor -> filter -> $upstream. */
    private static String manifest(int interval) {
        String createOptions = "\"{\\\"HostConfig\\\":{\\\"NetworkMode\\\":\\\"host\\\"}}\"";
        return """
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {
                    "schemaVersion": "1.1",
                    "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
                    "systemModules": {
                      "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent:1", "createOptions": "{}"}},
                      "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                                  "settings": {"image": "outpost/hub:1", "createOptions": "{}"}}},
                    "modules": {
                      "sensor": {"version": "1.0", "type": "docker", "status": "running", "restartPolicy": "always",
                                 "imagePullPolicy": "never", "startupOrder": 2,
                                 "settings": {"image": "%s", "createOptions": %s}},
                      "filter": {"version": "1.0", "type": "docker", "status": "running", "restartPolicy": "always",
                                 "imagePullPolicy": "never", "startupOrder": 1,
                                 "settings": {"image": "%s", "createOptions": %s}}}}},
                  "$edgeHub": {"properties.desired": {
                    "schemaVersion": "1.2",
                    "routes": {
                      "sensorToFilter": {"route": "FROM /messages/modules/sensor/outputs/temperatureOutput INTO BrokeredEndpoint(\\"/modules/filter/inputs/input1\\")", "priority": 0},
                      "filterToUpstream": {"route": "FROM /messages/modules/filter/outputs/output1 INTO $upstream", "priority": 0}},
                    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
                  "sensor": {"properties.desired": {"SendInterval": %d, "SendData": true, "MessageCount": -1}},
                  "filter": {"properties.desired": {"TemperatureThreshold": 25}}}}
                """.formatted(SENSOR_IMAGE, createOptions, FILTER_IMAGE, createOptions, interval);
    }
}
