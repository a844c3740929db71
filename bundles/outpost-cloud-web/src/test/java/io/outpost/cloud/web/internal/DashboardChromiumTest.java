package io.outpost.cloud.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in Debian's headless Chromium against a running cloud with data: two devices, a deployment
 * that one of them reports running, telemetry. Asserts the rendered DOM of the fleet, device and deployment
 * pages and saves their screenshots as {@code target/dashboard-*.png}.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardChromiumTest {

    @TempDir
    static Path dir;
    CloudServer cloud;
    io.outpost.cloud.endpoint.testing.TestCloud endpoint;

    @BeforeAll
    void startCloudWithData() throws Exception {
        cloud = new CloudServer(dir.resolve("cloud"));
        cloud.store.registry().create("gw-a", Requests.generateKeys(), "{\"site\": \"A\"}");
        cloud.store.registry().create("gw-b", Requests.generateKeys(), "{\"site\": \"B\"}");
        cloud.store.registry().setConnectionState("gw-a", ConnectionState.CONNECTED, Instant.now());
        cloud.store.deployments().create(FleetDeployment.of("site-a", CloudApiTest.BASE, "tags.site = 'A'", 10,
                Map.of("team", "ops"), false));
        TwinId agent = TwinId.module("gw-a", "$edgeAgent");
        long version = cloud.store.twins().get(agent).orElseThrow().desiredVersion();
        cloud.store.twins().update(agent, TwinPatch.merge(TwinSection.REPORTED, """
                {"lastDesiredVersion": %d, "lastDesiredStatus": {"code": 200, "description": ""},
                 "runtime": {"platform": {"os": "linux", "architecture": "x86_64"}},
                 "systemModules": {"edgeAgent": {"runtimeStatus": "running", "exitCode": 0, "restartCount": 0},
                                   "edgeHub": {"runtimeStatus": "running", "exitCode": 0, "restartCount": 1}},
                 "modules": {"sensor": {"runtimeStatus": "running", "exitCode": 137, "restartCount": 4,
                                        "statusDescription": "restarted after exit 137",
                                        "lastStartTimeUtc": "%s"}}}""".formatted(version, Instant.now())));
        cloud.store.twins().update(TwinId.device("gw-a"), TwinPatch.merge(TwinSection.REPORTED,
                "{\"firmware\": \"2.4.1\"}"));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        endpoint = io.outpost.cloud.endpoint.testing.TestCloud.start(cloud.store, dir.resolve("endpoint"), port, 3);
        cloud.messaging = endpoint.messaging();
        for (String id : List.of("c2d-first", "c2d-second")) {
            endpoint.messaging().sendToDevice("gw-a", new io.outpost.cloud.CloudToDeviceMessage(id, Map.of(),
                    "{}".getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Instant t0 = Instant.now().minusSeconds(60);
        for (int i = 0; i < 12; i++) {
            String body = "{\"temperature\": " + (20 + i % 5) + ", \"humidity\": " + (40 + i) + "}";
            cloud.store.telemetry().append(TelemetryMessage.of("gw-a", Optional.of("sensor"), t0.plusSeconds(5L * i),
                    Map.of(), body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @AfterAll
    void stop() throws Exception {
        endpoint.close();
        cloud.close();
    }

    @Test
    void givenFleet_whenOverviewLoaded_thenDevicesConnectedAndDeploymentCountsShown() throws Exception {
        String dom = load("", "fleet");

        assertThat(cardValue(dom, "card-devices")).isEqualTo("2");
        assertThat(cardValue(dom, "card-connected")).isEqualTo("1");
        assertThat(cardValue(dom, "card-deployments")).isEqualTo("1");
        String deployments = element(dom, "fleet-deployments");
        assertThat(text(deployments)).contains("site-a", "tags.site = 'A'", "10");
        // targeted, applied, succeeded, failed
        assertThat(cells(deployments)).containsSubsequence("1", "1", "1", "0");
        assertThat(text(element(dom, "fleet-devices"))).contains("gw-a", "Connected", "gw-b", "Disconnected");
    }

    @Test
    void givenDevice_whenPageLoaded_thenModulesRuntimeReportedAndTelemetryChartShown() throws Exception {
        String dom = load("?device=gw-a", "device");

        List<String> modules = cells(element(dom, "device-modules"));
        int sensor = modules.indexOf("sensor");
        assertThat(sensor).as(String.valueOf(modules)).isNotNegative();
        // module, desired, runtime, restarts, exit code, description
        assertThat(modules.subList(sensor, sensor + 6)).containsExactly("sensor", "running", "running", "4", "137",
                "restarted after exit 137");
        assertThat(modules).contains("edgeHub", "edgeAgent");
        assertThat(text(element(dom, "device-summary"))).contains("Connected", "site-a");
        assertThat(text(element(dom, "agent-status"))).contains("status 200");
        assertThat(element(dom, "telemetry-chart")).contains("data-series=\"temperature\"", "data-series=\"humidity\"");
        assertThat(text(element(dom, "telemetry-legend"))).contains("temperature (12)");
        assertThat(text(element(dom, "device-reported"))).contains("firmware", "2.4.1");
        assertThat(text(element(dom, "agent-reported"))).contains("lastDesiredVersion", "x86_64");
        assertThat(text(element(dom, "c2d-counts"))).contains("queued 2", "delivered 0", "expired 0");
        assertThat(cells(element(dom, "device-c2d"))).containsSubsequence("c2d-second", "queued", "c2d-first",
                "queued");
    }

    @Test
    void givenDeployment_whenPageLoaded_thenConditionPriorityCountsAndDeviceStatusShown() throws Exception {
        String dom = load("?deployment=site-a", "deployment");

        assertThat(text(element(dom, "target-condition"))).isEqualTo("tags.site = 'A'");
        assertThat(cardValue(dom, "card-targeted")).isEqualTo("1");
        assertThat(cardValue(dom, "card-applied")).isEqualTo("1");
        assertThat(cardValue(dom, "card-succeeded")).isEqualTo("1");
        assertThat(cardValue(dom, "card-failed")).isEqualTo("0");
        assertThat(cells(element(dom, "deployment-devices"))).containsSequence("gw-a", "succeeded");
        assertThat(text(dom)).contains("Deployment site-a", "team=ops");
    }

    @Test
    void givenNoToken_whenLoaded_thenSignInFormShown() throws Exception {
        String dom = chromium(cloud.base + "/dashboard/", "--dump-dom");

        assertThat(dom).contains("Sign in with an API token", "id=\"token\"");
    }

    /** Dumps the page's DOM after its API calls and saves a screenshot as target/dashboard-NAME.png. */
    private String load(String query, String name) throws Exception {
        String url = cloud.base + "/dashboard/" + query + "#token=" + URLEncoder.encode(cloud.reader.bearer(), StandardCharsets.UTF_8);
        Path shot = Path.of("target", "dashboard-" + name + ".png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(url, "--screenshot=" + shot, "--window-size=1280,900");
        assertThat(shot).exists();
        assertThat(Files.size(shot)).as("screenshot %s", shot).isGreaterThan(10_000);
        return chromium(url, "--dump-dom");
    }

    private String chromium(String url, String... extra) throws Exception {
        String binary = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
                .filter(p -> new File(p).canExecute()).findFirst()
                .orElseThrow(() -> new AssertionError("Chromium is not installed: apt-get install chromium (.ci/run does)"));
        Path profile = Files.createTempDirectory(dir, "chromium");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s: " + Files.readString(err));
        }
        assertThat(p.exitValue()).as("chromium exit; stderr: %s", Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static String element(String dom, String id) {
        Matcher m = Pattern.compile("<(\\w+)[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(dom);
        assertThat(m.find()).as("element #%s in %s", id, dom).isTrue();
        String tag = m.group(1);
        int depth = 0;
        Matcher t = Pattern.compile("<(/?)" + tag + "\\b[^>]*>").matcher(dom);
        t.region(m.start(), dom.length());
        while (t.find()) {
            depth += t.group(1).isEmpty() ? 1 : -1;
            if (depth == 0) {
                return dom.substring(m.start(), t.end());
            }
        }
        return dom.substring(m.start());
    }

    private static String cardValue(String dom, String id) {
        Matcher m = Pattern.compile("class=\"value\">([^<]*)<").matcher(element(dom, id));
        assertThat(m.find()).as("value of #%s", id).isTrue();
        return m.group(1);
    }

    private static List<String> cells(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            out.add(text(m.group(1)));
        }
        return out;
    }

    private static String text(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").strip();
    }
}
