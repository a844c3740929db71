package io.outpost.cloud.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over HTTP against the real store on H2 and the servlets in Jetty. */
class CloudApiTest {

    static final String BASE = """
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
               "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
             "sensor": {"properties.desired": {"interval": 5}}}""";

    @TempDir
    Path dir;
    CloudServer cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new CloudServer(dir);
    }

    @AfterEach
    void stop() throws Exception {
        cloud.close();
    }

    String admin() {
        return cloud.admin.bearer();
    }

    String reader() {
        return cloud.reader.bearer();
    }

    static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body(), "");
    }

    static void assertError(HttpResponse<String> r, int status, String code, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = json(r).get("error");
        assertThat(e.get("code").asText()).as(r.body()).isEqualTo(code);
        if (field == null) {
            assertThat(e.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(e.get("field").asText()).as(r.body()).isEqualTo(field);
        }
        assertThat(e.get("message").asText()).isNotBlank();
    }

    HttpResponse<String> createDevice(String id, String tags) throws Exception {
        return cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"" + id + "\", \"tags\": " + tags + "}");
    }

    String deployment(String id, String condition, int priority) {
        return "{\"id\": \"" + id + "\", \"targetCondition\": \"" + condition + "\", \"priority\": " + priority
                + ", \"labels\": {\"team\": \"ops\"}, \"content\": {\"modulesContent\": " + BASE + "}}";
    }

    @Test
    void givenNoToken_whenCallingTheApi_then401WithBearerChallenge() throws Exception {
        HttpResponse<String> r = cloud.get("/api/v1/devices", null);

        assertError(r, 401, "api-unauthorized", null);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"outpost-cloud\"");
    }

    @Test
    void givenWrongOrMalformedToken_whenCallingTheApi_then401InvalidToken() throws Exception {
        String forged = cloud.admin.token().id() + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        HttpResponse<String> wrong = cloud.get("/api/v1/devices", forged);
        HttpResponse<String> basic = cloud.send("GET", "/api/v1/devices", null, null, "Authorization", "Basic Zm9vOmJhcg==");

        assertError(wrong, 401, "api-unauthorized", null);
        assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertError(basic, 401, "api-unauthorized", null);
    }

    @Test
    void givenRevokedToken_whenCallingTheApi_then401() throws Exception {
        assertThat(cloud.get("/api/v1/devices", reader()).statusCode()).isEqualTo(200);

        cloud.tokens.revoke(cloud.reader.token().id());

        assertError(cloud.get("/api/v1/devices", reader()), 401, "api-unauthorized", null);
    }

    @Test
    void givenReadToken_whenCreating_then403AndNothingCreated() throws Exception {
        HttpResponse<String> device = cloud.send("POST", "/api/v1/devices", reader(), "{\"deviceId\": \"gw-1\"}");
        HttpResponse<String> dep = cloud.send("POST", "/api/v1/deployments", reader(), deployment("d1", "tags.site='A'", 1));

        assertError(device, 403, "api-forbidden", null);
        assertThat(device.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
        assertError(dep, 403, "api-forbidden", null);
        assertThat(cloud.store.registry().list()).isEmpty();
        assertThat(cloud.store.deployments().list()).isEmpty();
        assertThat(cloud.get("/api/v1/deployments", reader()).statusCode()).isEqualTo(200);
    }

    @Test
    void givenOpenApi_whenFetchedWithoutToken_thenServed() throws Exception {
        HttpResponse<String> r = cloud.get("/api/v1/openapi.json", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("openapi").asText()).startsWith("3.");
    }

    @Test
    void givenAdmin_whenCreatingDeviceWithoutAuth_thenSasKeysGeneratedAndShownToAdminsOnly() throws Exception {
        HttpResponse<String> created = createDevice("gw-1", "{\"site\": \"A\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/devices/gw-1");
        JsonNode keys = json(created).at("/authentication/symmetricKey");
        assertThat(Base64.getDecoder().decode(keys.get("primaryKey").asText())).hasSize(32);
        assertThat(keys.get("secondaryKey").asText()).isNotEqualTo(keys.get("primaryKey").asText());
        assertThat(json(created).at("/tags/site").asText()).isEqualTo("A");
        assertThat(json(created).get("status").asText()).isEqualTo("enabled");
        assertThat(json(created).get("connectionState").asText()).isEqualTo("Disconnected");

        JsonNode asReader = json(cloud.get("/api/v1/devices/gw-1", reader()));
        JsonNode asAdmin = json(cloud.get("/api/v1/devices/gw-1", admin()));
        assertThat(asReader.at("/authentication/type").asText()).isEqualTo("sas");
        assertThat(asReader.at("/authentication/symmetricKey").isMissingNode()).isTrue();
        assertThat(asAdmin.at("/authentication/symmetricKey/primaryKey").asText()).isEqualTo(keys.get("primaryKey").asText());
        assertThat(json(cloud.get("/api/v1/devices", admin())).get(0).at("/authentication/symmetricKey").isMissingNode()).isTrue();
    }

    @Test
    void givenX509Thumbprints_whenCreatingDevice_thenStoredUpperCase() throws Exception {
        String thumb = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
        HttpResponse<String> r = cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"cam-7\", "
                + "\"authentication\": {\"type\": \"x509\", \"x509Thumbprint\": {\"primaryThumbprint\": \"" + thumb + "\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).at("/authentication/x509Thumbprint/primaryThumbprint").asText()).isEqualTo(thumb.toUpperCase());
    }

    @Test
    void givenEdgeDevice_whenLeafCreatedWithParentId_thenShownWithItAndAnUnknownParentIs404() throws Exception {
        assertThat(createDevice("edge-1", "{}").statusCode()).isEqualTo(201);

        HttpResponse<String> r = cloud.send("POST", "/api/v1/devices", admin(),
                "{\"deviceId\": \"leaf-1\", \"parentId\": \"edge-1\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("parentId").asText()).isEqualTo("edge-1");
        HttpResponse<String> shown = cloud.send("GET", "/api/v1/devices/leaf-1", reader(), null);
        assertThat(json(shown).get("parentId").asText()).isEqualTo("edge-1");
        assertThat(json(cloud.send("GET", "/api/v1/devices/edge-1", reader(), null)).get("parentId").isNull()).isTrue();
        HttpResponse<String> orphan = cloud.send("POST", "/api/v1/devices", admin(),
                "{\"deviceId\": \"leaf-2\", \"parentId\": \"nowhere\"}");
        assertError(orphan, 404, "cloud-not-found", null);
        assertThat(json(orphan).at("/error/message").asText()).startsWith("parentId:");
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"leaf-3\", \"parentId\": \"a b\"}"),
                400, "cloud-invalid-argument", "parentId");
    }

    @Test
    void givenBadDeviceRequests_whenCreating_then400NamingTheField() throws Exception {
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"gw 1\"}"),
                400, "cloud-invalid-argument", "deviceId");
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{}"), 400, "cloud-invalid-argument", "deviceId");
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"gw-1\", \"tags\": [1]}"),
                400, "cloud-invalid-argument", "tags");
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"gw-1\", \"tgas\": {}}"),
                400, "cloud-invalid-argument", "tgas");
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"gw-1\", \"authentication\": "
                + "{\"type\": \"x509\", \"x509Thumbprint\": {\"primaryThumbprint\": \"xyz\"}}}"),
                400, "cloud-invalid-argument", "authentication.x509Thumbprint.primaryThumbprint");
        assertError(cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": "), 400, "cloud-invalid-argument", null);
        assertThat(createDevice("gw-1", "{}").statusCode()).isEqualTo(201);
        assertError(createDevice("gw-1", "{}"), 409, "cloud-already-exists", null);
    }

    @Test
    void givenDevice_whenDisabledEnabledAndDeleted_thenStateFollows() throws Exception {
        createDevice("gw-1", "{}");

        HttpResponse<String> disabled = cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"status\": \"disabled\"}");
        assertThat(json(disabled).get("status").asText()).isEqualTo("disabled");
        assertThat(cloud.store.registry().get("gw-1").orElseThrow().enabled()).isFalse();
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"status\": \"off\"}"), 400,
                "cloud-invalid-argument", "status");
        cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"status\": \"enabled\"}");
        assertThat(cloud.store.registry().get("gw-1").orElseThrow().enabled()).isTrue();

        assertThat(cloud.send("DELETE", "/api/v1/devices/gw-1", admin(), null).statusCode()).isEqualTo(204);
        assertError(cloud.get("/api/v1/devices/gw-1", admin()), 404, "cloud-not-found", null);
        assertError(cloud.send("DELETE", "/api/v1/devices/gw-1", admin(), null), 404, "cloud-not-found", null);
    }

    @Test
    void givenTwin_whenPatchedWithIfMatch_thenVersionChecked() throws Exception {
        createDevice("gw-1", "{\"site\": \"A\"}");
        HttpResponse<String> twin = cloud.get("/api/v1/devices/gw-1/twin", reader());
        String etag = twin.headers().firstValue("ETag").orElseThrow();
        assertThat(json(twin).get("etag").asText()).isEqualTo(etag);

        HttpResponse<String> patched = cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(),
                "{\"tags\": {\"site\": null, \"rack\": 3}, \"properties\": {\"desired\": {\"interval\": 10}}}",
                "If-Match", etag);

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode t = json(patched);
        assertThat(t.at("/tags/site").isMissingNode()).isTrue();
        assertThat(t.at("/tags/rack").asInt()).isEqualTo(3);
        assertThat(t.at("/properties/desired/interval").asInt()).isEqualTo(10);
        assertThat(t.at("/properties/desired/$version").asLong()).isEqualTo(2);
        assertThat(patched.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
        assertThat(cloud.store.registry().get("gw-1").orElseThrow().tags()).contains("\"rack\":3");

        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(), "{\"tags\": {\"x\": 1}}", "If-Match", etag),
                412, "cloud-version-mismatch", null);
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(), "{\"tags\": {\"x\": 1}}", "If-Match", "abc"),
                400, "cloud-invalid-argument", "If-Match");
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(),
                "{\"properties\": {\"reported\": {\"x\": 1}}}"), 400, "cloud-invalid-argument", "properties.reported");
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1/twin", reader(), "{\"tags\": {\"x\": 1}}"),
                403, "api-forbidden", null);
    }

    @Test
    void givenModules_whenCreatedAndListed_thenIdentitiesAndTwinsShown() throws Exception {
        createDevice("gw-1", "{}");

        HttpResponse<String> m = cloud.send("POST", "/api/v1/devices/gw-1/modules", admin(), "{\"moduleId\": \"sensor\"}");
        assertThat(m.statusCode()).as(m.body()).isEqualTo(201);
        assertThat(json(m).at("/authentication/symmetricKey/primaryKey").asText()).isNotEmpty();
        HttpResponse<String> patched = cloud.send("PATCH", "/api/v1/devices/gw-1/modules/sensor/twin", admin(),
                "{\"properties\": {\"desired\": {\"threshold\": 30}}}");
        assertThat(json(patched).at("/properties/desired/threshold").asInt()).isEqualTo(30);
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1/modules/sensor/twin", admin(), "{\"tags\": {}}"),
                400, "cloud-invalid-argument", "tags");

        JsonNode list = json(cloud.get("/api/v1/devices/gw-1/modules", reader()));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("moduleId").asText()).isEqualTo("sensor");
        assertThat(list.get(0).at("/identity/authentication/symmetricKey").isMissingNode()).isTrue();
        assertThat(list.get(0).at("/twin/properties/desired/threshold").asInt()).isEqualTo(30);
        assertThat(cloud.get("/api/v1/devices/gw-1/modules/sensor", reader()).statusCode()).isEqualTo(200);
        assertThat(cloud.send("DELETE", "/api/v1/devices/gw-1/modules/sensor", admin(), null).statusCode()).isEqualTo(204);
        assertError(cloud.get("/api/v1/devices/gw-1/modules/sensor", reader()), 404, "cloud-not-found", null);
    }

    @Test
    void givenBadDeployments_whenCreating_then400NamingTheField() throws Exception {
        HttpResponse<String> condition = cloud.send("POST", "/api/v1/deployments", admin(),
                deployment("d1", "tags.site = ", 1));
        assertError(condition, 400, "cloud-condition-syntax", "targetCondition");
        assertThat(json(condition).at("/error/column").asInt()).isEqualTo(13);
        assertThat(json(condition).at("/error/message").asText()).startsWith("column 13:");

        assertError(cloud.send("POST", "/api/v1/deployments", admin(), deployment("d1", "tags.site='A'", -1)),
                400, "cloud-invalid-argument", "priority");
        assertError(cloud.send("POST", "/api/v1/deployments", admin(), deployment("D 1", "tags.site='A'", 1)),
                400, "cloud-invalid-argument", "id");
        assertError(cloud.send("POST", "/api/v1/deployments", admin(), "{\"id\": \"d1\", \"targetCondition\": \"tags.a=1\"}"),
                400, "cloud-invalid-argument", "content.modulesContent");
        assertError(cloud.send("POST", "/api/v1/deployments", admin(), "{\"id\": \"d1\", \"content\": {\"modulesContent\": {}}}"),
                400, "cloud-invalid-argument", "targetCondition");
        HttpResponse<String> invalid = cloud.send("POST", "/api/v1/deployments", admin(), deployment("d1", "tags.site='A'", 1)
                .replace("\"sensor:1\"", "42"));
        assertError(invalid, 400, "cloud-deployment-invalid", "content.modulesContent");
        assertThat(json(invalid).at("/error/message").asText()).contains("/modulesContent/$edgeAgent");
        assertThat(cloud.store.deployments().list()).isEmpty();

        assertThat(cloud.send("POST", "/api/v1/deployments", admin(), deployment("d1", "tags.site='A'", 1)).statusCode())
                .isEqualTo(201);
        assertError(cloud.send("POST", "/api/v1/deployments", admin(), deployment("d1", "tags.site='A'", 1)),
                409, "cloud-already-exists", "id");
    }

    @Test
    void givenTaggedDevices_whenDeploymentCreatedAndReported_thenFourMetricsAndPerDeviceStatus() throws Exception {
        createDevice("gw-a", "{\"site\": \"A\"}");
        createDevice("gw-b", "{\"site\": \"B\"}");

        HttpResponse<String> created = cloud.send("POST", "/api/v1/deployments", admin(), deployment("site-a", "tags.site = 'A'", 10));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode d = json(created);
        assertThat(d.at("/metrics/targetedCount").asInt()).isEqualTo(1);
        assertThat(d.at("/metrics/appliedCount").asInt()).isEqualTo(1);
        assertThat(d.at("/metrics/reportedSuccessfulCount").asInt()).isZero();
        assertThat(d.at("/devices/0/deviceId").asText()).isEqualTo("gw-a");
        assertThat(d.at("/devices/0/status").asText()).isEqualTo("pending");
        assertThat(d.at("/labels/team").asText()).isEqualTo("ops");

        report("gw-a", 200);
        JsonNode shown = json(cloud.get("/api/v1/deployments/site-a", reader()));
        assertThat(shown.at("/metrics/targetedCount").asInt()).isEqualTo(1);
        assertThat(shown.at("/metrics/appliedCount").asInt()).isEqualTo(1);
        assertThat(shown.at("/metrics/reportedSuccessfulCount").asInt()).isEqualTo(1);
        assertThat(shown.at("/metrics/reportedFailedCount").asInt()).isZero();
        assertThat(shown.at("/devices/0/status").asText()).isEqualTo("succeeded");
        assertThat(shown.at("/content/modulesContent/$edgeAgent").isObject()).isTrue();

        // a tag change through the twin moves gw-b into the deployment, which it then fails
        cloud.send("PATCH", "/api/v1/devices/gw-b/twin", admin(), "{\"tags\": {\"site\": \"A\"}}");
        report("gw-b", 500);
        JsonNode listed = json(cloud.get("/api/v1/deployments", reader())).get(0);
        assertThat(listed.at("/metrics/targetedCount").asInt()).isEqualTo(2);
        assertThat(listed.at("/metrics/reportedFailedCount").asInt()).isEqualTo(1);
        assertThat(listed.has("content")).isFalse();
        JsonNode config = json(cloud.get("/api/v1/devices/gw-b/configuration", reader()));
        assertThat(config.get("base").asText()).isEqualTo("site-a");

        JsonNode summary = json(cloud.get("/api/v1/summary", reader()));
        assertThat(summary.at("/devices/total").asInt()).isEqualTo(2);
        assertThat(summary.at("/devices/connected").asInt()).isZero();
        assertThat(summary.at("/deployments/0/id").asText()).isEqualTo("site-a");
        assertThat(summary.at("/deployments/0/metrics/reportedSuccessfulCount").asInt()).isEqualTo(1);

        JsonNode agent = json(cloud.get("/api/v1/devices/gw-a/modules/$edgeAgent/twin", reader()));
        assertThat(agent.at("/properties/reported/lastDesiredStatus/code").asInt()).isEqualTo(200);

        assertThat(cloud.send("DELETE", "/api/v1/deployments/site-a", admin(), null).statusCode()).isEqualTo(204);
        assertError(cloud.get("/api/v1/deployments/site-a", reader()), 404, "cloud-not-found", null);
    }

    private void report(String device, int code) {
        long version = cloud.store.twins().get(TwinId.module(device, "$edgeAgent")).orElseThrow().desiredVersion();
        cloud.store.twins().update(TwinId.module(device, "$edgeAgent"), TwinPatch.merge(TwinSection.REPORTED,
                "{\"lastDesiredVersion\": " + version + ", \"lastDesiredStatus\": {\"code\": " + code
                        + "}, \"modules\": {\"sensor\": {\"runtimeStatus\": \"running\", \"restartCount\": 0}}}"));
    }

    @Test
    void givenTelemetry_whenRecentAsked_thenNewestFirstWithinLimit() throws Exception {
        createDevice("gw-1", "{}");
        for (int i = 1; i <= 3; i++) {
            cloud.store.telemetry().append(TelemetryMessage.of("gw-1", Optional.of("sensor"), Instant.now(),
                    Map.of("$.ct", "application/json"), ("{\"temperature\": " + (20 + i) + "}").getBytes(StandardCharsets.UTF_8)));
        }
        cloud.store.telemetry().append(TelemetryMessage.of("gw-1", Optional.empty(), Instant.now(), Map.of(),
                new byte[] {(byte) 0xff, 0x00}));

        JsonNode recent = json(cloud.get("/api/v1/devices/gw-1/telemetry?limit=2", reader()));

        assertThat(recent).hasSize(2);
        assertThat(recent.get(0).get("bodyEncoding").asText()).isEqualTo("base64");
        assertThat(recent.get(1).at("/body/temperature").asInt()).isEqualTo(23);
        assertThat(recent.get(1).get("moduleId").asText()).isEqualTo("sensor");
        assertError(cloud.get("/api/v1/devices/gw-1/telemetry?limit=0", reader()), 400, "cloud-invalid-argument", "limit");
        assertError(cloud.get("/api/v1/devices/nope/telemetry", reader()), 404, "cloud-not-found", null);
    }

    @Test
    void givenUnknownPathOrMethod_whenCalled_then404Or405() throws Exception {
        assertError(cloud.get("/api/v1/nothing", admin()), 404, "api-no-such-path", null);
        HttpResponse<String> r = cloud.send("PUT", "/api/v1/devices", admin(), "{}");
        assertError(r, 405, "api-method-not-allowed", null);
        assertThat(r.headers().firstValue("Allow")).contains("GET, POST");
    }

    @Test
    void givenDashboard_whenRequested_thenStaticFilesWithoutExternalReferences() throws Exception {
        HttpResponse<String> index = cloud.get("/dashboard/", null);
        HttpResponse<String> js = cloud.get("/dashboard/app.js", null);
        HttpResponse<String> redirect = cloud.get("/dashboard", null);

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
        assertThat(js.statusCode()).isEqualTo(200);
        // the only URL in the files is the SVG namespace name, which is never fetched
        assertThat((index.body() + js.body() + cloud.get("/dashboard/app.css", null).body())
                .replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://", "//cdn");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(cloud.get("/dashboard/../etc/passwd", null).statusCode()).isIn(400, 404);
        assertThat(cloud.get("/dashboard/missing.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void givenDirectMethodCalls_whenTheTargetIsNotConnectedOrTheRequestIsBad_thenPreciseErrors() throws Exception {
        createDevice("edge-9", "{}");
        String call = "{\"methodName\": \"reset\", \"payload\": {\"hard\": true}, \"responseTimeoutInSeconds\": 5}";
        String path = "/api/v1/devices/edge-9/modules/sensor/methods";

        assertError(cloud.send("POST", path, admin(), call), 503, "api-endpoint-unavailable", null);

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (io.outpost.cloud.endpoint.internal.WebTestEndpoint endpoint =
                new io.outpost.cloud.endpoint.internal.WebTestEndpoint(cloud.store, dir.resolve("endpoint"), port)) {
            cloud.messaging = endpoint.messaging();

            assertError(cloud.send("POST", path, admin(), call), 404, "cloud-not-found", null);
            assertError(cloud.send("POST", "/api/v1/devices/edge-9/methods", admin(), call), 404, "cloud-not-found", null);
            assertError(cloud.send("POST", "/api/v1/devices/nobody/methods", admin(), call), 404, "cloud-not-found", null);
            assertError(cloud.send("POST", path, reader(), call), 403, "api-forbidden", null);
            assertError(cloud.send("POST", path, admin(), "{\"payload\": 1}"), 400, "cloud-invalid-argument", "methodName");
            assertError(cloud.send("POST", path, admin(), "{\"methodName\": \"a/b\"}"), 400, "cloud-invalid-argument",
                    "methodName");
            assertError(cloud.send("POST", path, admin(), "{\"methodName\": \"m\", \"responseTimeoutInSeconds\": 301}"),
                    400, "cloud-invalid-argument", "responseTimeoutInSeconds");
            assertError(cloud.send("POST", path, admin(), "{\"methodName\": \"m\", \"extra\": 1}"), 400,
                    "cloud-invalid-argument", "extra");
        }
    }
}
