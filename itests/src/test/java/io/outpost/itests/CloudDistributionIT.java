package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.TwinService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.ServiceReference;

/**
 * Outpost Cloud installed in the distribution (feature outpost-cloud: store, REST API on Karaf's HTTP service,
 * dashboard, cloud:* commands), used over real HTTP with java.net.http as an operator would.
 */
public class CloudDistributionIT extends OutpostTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String BASE = """
            {"$edgeAgent": {"properties.desired": {"schemaVersion": "1.1",
               "runtime": {"type": "docker", "settings": {}},
               "systemModules": {
                 "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent", "createOptions": ""}},
                 "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                             "settings": {"image": "outpost/hub", "createOptions": ""}}},
               "modules": {"sensor": {"version": "1.0", "type": "docker", "status": "running",
                 "restartPolicy": "always", "settings": {"image": "sensor:1", "createOptions": ""}}}}},
             "$edgeHub": {"properties.desired": {"schemaVersion": "1.2",
               "routes": {"up": "FROM /messages/* INTO $upstream"},
               "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private URI base;
    private String admin;

    @Before
    public void installCloud() throws Exception {
        if (!featuresService.isInstalled(featuresService.getFeature("outpost-cloud"))) {
            featuresService.installFeature("outpost-cloud");
        }
        // the shell registers a bundle's commands one by one: wait for each one the tests use
        for (String command : List.of("version", "device-add", "device-list", "twin-show", "twin-update",
                "deployment-show", "token-create", "token-list")) {
            awaitCommand("cloud", command, WAIT);
        }
        awaitCloudServicesSettled();
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Properties web = new Properties();
        try (var in = Files.newInputStream(etc.resolve("org.ops4j.pax.web.cfg"))) {
            web.load(in);
        }
        base = URI.create("http://127.0.0.1:" + web.getProperty("org.osgi.service.http.port").strip());
        Path tokenFile = etc.resolve("outpost-cloud.token");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(tokenFile) || awaitHttp("/api/v1/openapi.json") != 200) {
            if (System.nanoTime() > deadline) {
                fail("the cloud's API did not answer at " + base + " within " + WAIT);
            }
            Thread.sleep(250);
        }
        assertEquals("initial token file mode", "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        admin = Files.readString(tokenFile).strip();
    }

    private int awaitHttp(String path) {
        try {
            return send("GET", path, null, null).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertStatus(HttpResponse<String> r, int status) {
        assertEquals(r.request().method() + " " + r.uri() + ": " + r.body(), status, r.statusCode());
    }

    private static int number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(\\d+)").matcher(json);
        assertTrue(name + " in " + json, m.find());
        return Integer.parseInt(m.group(1));
    }

    @Test
    public void givenNoOrWrongToken_whenCallingTheApi_then401WithBearerChallenge() throws Exception {
        HttpResponse<String> none = send("GET", "/api/v1/devices", null, null);
        HttpResponse<String> wrong = send("GET", "/api/v1/devices", "0123456789ab.wrong", null);

        assertStatus(none, 401);
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"outpost-cloud\""));
        assertTrue(none.body(), none.body().contains("\"code\":\"api-unauthorized\""));
        assertStatus(wrong, 401);
    }

    @Test
    public void givenReadTokenFromShell_whenCreatingDeployment_then403ButReadsWork() throws Exception {
        String reader = executeCommand("cloud:token-create --scope read --description it-reader").strip();

        HttpResponse<String> create = send("POST", "/api/v1/deployments", reader,
                "{\"id\": \"nope\", \"targetCondition\": \"tags.site = 'A'\", \"content\": {\"modulesContent\": " + BASE + "}}");

        assertStatus(create, 403);
        assertTrue(create.body(), create.body().contains("\"code\":\"api-forbidden\""));
        assertStatus(send("GET", "/api/v1/deployments/nope", reader, null), 404);
        assertStatus(send("GET", "/api/v1/summary", reader, null), 200);
        assertTrue(executeCommand("cloud:token-list").contains("it-reader"));
    }

    @Test
    public void givenAdminToken_whenDevicesAndDeploymentCreated_thenMetricsFollowTheReports() throws Exception {
        assertStatus(send("POST", "/api/v1/devices", admin, "{\"deviceId\": \"it-a\", \"tags\": {\"site\": \"A\"}}"), 201);
        assertStatus(send("POST", "/api/v1/devices", admin, "{\"deviceId\": \"it-b\", \"tags\": {\"site\": \"B\"}}"), 201);
        HttpResponse<String> bad = send("POST", "/api/v1/deployments", admin,
                "{\"id\": \"it-bad\", \"targetCondition\": \"tags.site = \", \"content\": {\"modulesContent\": " + BASE + "}}");
        assertStatus(bad, 400);
        assertTrue(bad.body(), bad.body().contains("\"field\":\"targetCondition\""));

        HttpResponse<String> created = send("POST", "/api/v1/deployments", admin,
                "{\"id\": \"it-site-a\", \"priority\": 10, \"targetCondition\": \"tags.site = 'A'\", \"content\": {\"modulesContent\": "
                        + BASE + "}}");
        assertStatus(created, 201);
        assertEquals(1, number(created.body(), "targetedCount"));
        assertEquals(1, number(created.body(), "appliedCount"));
        assertEquals(0, number(created.body(), "reportedSuccessfulCount"));

        // the device reports the applied configuration running (as its edge agent will over the device endpoint)
        TwinService twins = awaitService(TwinService.class, WAIT);
        TwinId agent = TwinId.module("it-a", "$edgeAgent");
        long version = twins.get(agent).orElseThrow().desiredVersion();
        twins.update(agent, TwinPatch.merge(TwinSection.REPORTED, "{\"lastDesiredVersion\": " + version
                + ", \"lastDesiredStatus\": {\"code\": 200}, \"modules\": {\"sensor\": {\"runtimeStatus\": \"running\"}}}"));

        HttpResponse<String> shown = send("GET", "/api/v1/deployments/it-site-a", admin, null);
        assertStatus(shown, 200);
        assertEquals(1, number(shown.body(), "targetedCount"));
        assertEquals(1, number(shown.body(), "appliedCount"));
        assertEquals(1, number(shown.body(), "reportedSuccessfulCount"));
        assertEquals(0, number(shown.body(), "reportedFailedCount"));
        assertTrue(shown.body(), shown.body().contains("\"deviceId\":\"it-a\",\"status\":\"succeeded\""));

        String list = executeCommand("cloud:deployment-show it-site-a");
        assertTrue(list, list.contains("targetedCount=1 appliedCount=1 reportedSuccessfulCount=1 reportedFailedCount=0"));
        assertTrue(executeCommand("cloud:device-list").contains("it-b"));
    }

    @Test
    public void givenShell_whenDeviceAddedAndTwinUpdated_thenTheApiSeesIt() throws Exception {
        String added = executeCommand("cloud:device-add --tags '{\"site\":\"C\"}' it-shell");
        assertTrue(added, added.contains("\"primaryKey\""));

        executeCommand("cloud:twin-update it-shell '{\"tags\": {\"rack\": 7}}'");

        HttpResponse<String> twin = send("GET", "/api/v1/devices/it-shell/twin", admin, null);
        assertStatus(twin, 200);
        assertTrue(twin.body(), twin.body().contains("\"rack\":7") && twin.body().contains("\"site\":\"C\""));
        assertTrue(executeCommand("cloud:twin-show it-shell").contains("\"rack\" : 7"));

        // the credentials change, the rest stays: new SAS keys, then an X.509 thumbprint
        String rotated = executeCommand("cloud:device-update --regenerate-keys it-shell");
        assertTrue(rotated, rotated.contains("\"primaryKey\"") && !rotated.contains(primaryKey(added)));
        String thumbprint = "AB".repeat(32);
        String x509 = executeCommand("cloud:device-update --x509 " + thumbprint + " it-shell");
        assertTrue(x509, x509.contains(thumbprint) && !x509.contains("\"primaryKey\""));
        HttpResponse<String> device = send("GET", "/api/v1/devices/it-shell", admin, null);
        assertStatus(device, 200);
        assertTrue(device.body(), device.body().contains("\"x509\"") && device.body().contains(thumbprint));
        assertTrue(send("GET", "/api/v1/devices/it-shell/twin", admin, null).body().contains("\"rack\":7"));
        // Karaf's command ACL hides admin commands from a viewer
        awaitHiddenFromViewer("cloud:device-add", Duration.ofSeconds(30));
        String refused = executeFailingCommand("cloud:device-add it-viewer", "viewer", "ssh");
        assertTrue(refused, refused.contains("Command not found: cloud:device-add"));
        assertTrue(executeCommand("cloud:device-list", COMMAND_TIMEOUT, "viewer", "ssh").contains("it-shell"));
    }

    /** The {@code primaryKey} in a device's JSON as the shell prints it. */
    private static String primaryKey(String deviceJson) {
        Matcher m = Pattern.compile("\"primaryKey\"\\s*:\\s*\"([^\"]+)\"").matcher(deviceJson);
        assertTrue(deviceJson, m.find());
        return m.group(1);
    }

    @Test
    public void givenCloud_whenBrowsing_thenOpenApiAndDashboardServed() throws Exception {
        HttpResponse<String> openapi = send("GET", "/api/v1/openapi.json", null, null);
        HttpResponse<String> dashboard = send("GET", "/dashboard/", null, null);

        assertStatus(openapi, 200);
        assertTrue(openapi.body().contains("\"openapi\": \"3.0.3\""));
        assertStatus(dashboard, 200);
        assertTrue(dashboard.body().contains("<title>Outpost Cloud</title>"));
        assertStatus(send("GET", "/dashboard/app.js", null, null), 200);
    }

    /**
     * Waits until the cloud's services have kept the same registrations for 3 seconds: right after the feature is
     * installed, its configurations arrive and restart the components that published them (a command that ran
     * in between would hold a closed store).
     */
    private void awaitCloudServicesSettled() throws Exception {
        List<String> services = List.of(DeviceRegistry.class.getName(), TwinService.class.getName(),
                FleetDeploymentService.class.getName());
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        long stableSince = System.nanoTime();
        while (true) {
            StringBuilder ids = new StringBuilder();
            boolean missing = false;
            for (String service : services) {
                ServiceReference<?>[] refs = bundleContext.getServiceReferences(service, null);
                ids.append(service).append('=');
                missing |= refs == null;
                if (refs != null) {
                    for (ServiceReference<?> ref : refs) {
                        ids.append(ref.getProperty("service.id")).append(',');
                    }
                }
            }
            String now = ids.toString();
            if (missing || !now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("the cloud's services did not settle within " + WAIT + ": " + now);
            }
            Thread.sleep(200);
        }
    }
}
