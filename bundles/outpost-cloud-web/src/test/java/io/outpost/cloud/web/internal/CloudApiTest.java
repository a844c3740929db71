package io.outpost.cloud.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.testing.Fixtures;
import io.outpost.pki.SasToken;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

/** The REST API over HTTP against the real store on H2 and the servlets in Jetty. */
@Tag("integration")
class CloudApiTest {

    static final String BASE = Fixtures.BASE;

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
    void givenDevice_whenAuthenticationPatched_thenKeysRegeneratedSetOrReplacedKeepingTheRest() throws Exception {
        JsonNode created = json(createDevice("gw-1", "{\"site\": \"A\"}"));
        String oldPrimary = created.at("/authentication/symmetricKey/primaryKey").asText();
        String path = "/api/v1/devices/gw-1";

        HttpResponse<String> regenerated = cloud.send("PATCH", path, admin(), "{\"authentication\": {\"type\": \"sas\"}}");
        assertThat(regenerated.statusCode()).as(regenerated.body()).isEqualTo(200);
        JsonNode keys = json(regenerated).at("/authentication/symmetricKey");
        assertThat(Base64.getDecoder().decode(keys.get("primaryKey").asText())).hasSize(32);
        assertThat(keys.get("primaryKey").asText()).isNotEqualTo(oldPrimary)
                .isNotEqualTo(keys.get("secondaryKey").asText());
        assertThat(json(regenerated).get("status").asText()).isEqualTo("enabled");
        assertThat(json(regenerated).at("/tags/site").asText()).isEqualTo("A");
        assertThat(json(regenerated).get("createdTime").asText()).isEqualTo(created.get("createdTime").asText());
        assertThat(json(cloud.get(path, admin())).at("/authentication/symmetricKey/primaryKey").asText())
                .isEqualTo(keys.get("primaryKey").asText());

        String primary = Base64.getEncoder().encodeToString("primary-key-0123456789".getBytes(StandardCharsets.UTF_8));
        String secondary = Base64.getEncoder().encodeToString("secondary-key-012345678".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> set = cloud.send("PATCH", path, admin(), "{\"authentication\": {\"type\": \"sas\", "
                + "\"symmetricKey\": {\"primaryKey\": \"" + primary + "\", \"secondaryKey\": \"" + secondary + "\"}}}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).at("/authentication/symmetricKey/primaryKey").asText()).isEqualTo(primary);
        assertThat(json(set).at("/authentication/symmetricKey/secondaryKey").asText()).isEqualTo(secondary);

        String thumb = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
        HttpResponse<String> x509 = cloud.send("PATCH", path, admin(), "{\"status\": \"disabled\", \"authentication\": "
                + "{\"type\": \"x509\", \"x509Thumbprint\": {\"primaryThumbprint\": \"" + thumb + "\"}}}", "If-Match", "*");
        assertThat(x509.statusCode()).as(x509.body()).isEqualTo(200);
        assertThat(json(x509).at("/authentication/type").asText()).isEqualTo("x509");
        assertThat(json(x509).at("/authentication/x509Thumbprint/primaryThumbprint").asText()).isEqualTo(thumb.toUpperCase());
        assertThat(json(x509).at("/authentication/x509Thumbprint/secondaryThumbprint").asText()).isEmpty();
        assertThat(json(x509).at("/authentication/symmetricKey").isMissingNode()).isTrue();
        assertThat(json(x509).get("status").asText()).isEqualTo("disabled");
        assertThat(cloud.store.registry().get("gw-1").orElseThrow().auth())
                .isEqualTo(new io.outpost.cloud.DeviceAuth.X509Thumbprints(thumb, ""));
        assertThat(json(cloud.get(path + "/twin", reader())).at("/tags/site").asText())
                .as("the twin is kept").isEqualTo("A");

        HttpResponse<String> back = cloud.send("PATCH", path, admin(), "{\"authentication\": {}}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(json(back).at("/authentication/type").asText()).as("the type defaults to sas").isEqualTo("sas");
        assertThat(Base64.getDecoder().decode(json(back).at("/authentication/symmetricKey/secondaryKey").asText())).hasSize(32);
    }

    @Test
    void givenBadAuthenticationPatches_whenSent_then400NamingTheField404Or403AndNothingChanged() throws Exception {
        String key = json(createDevice("gw-1", "{}")).at("/authentication/symmetricKey/primaryKey").asText();
        String path = "/api/v1/devices/gw-1";
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{}", "status");
        bad.put("{\"authentication\": null}", "authentication");
        bad.put("{\"authentication\": \"sas\"}", "authentication");
        bad.put("{\"authentication\": {\"type\": \"rsa\"}}", "authentication.type");
        bad.put("{\"authentication\": {\"type\": \"sas\", \"keys\": {}}}", "authentication.keys");
        bad.put("{\"authentication\": {\"type\": \"sas\", \"symmetricKey\": {\"primaryKey\": \"c2hvcnQ=\","
                + " \"secondaryKey\": \"" + key + "\"}}}", "authentication.symmetricKey.primaryKey");
        bad.put("{\"authentication\": {\"type\": \"sas\", \"symmetricKey\": {\"primaryKey\": \"" + key + "\"}}}",
                "authentication.symmetricKey.secondaryKey");
        bad.put("{\"authentication\": {\"type\": \"x509\"}}", "authentication.x509Thumbprint");
        bad.put("{\"authentication\": {\"type\": \"x509\", \"x509Thumbprint\": {\"primaryThumbprint\": \"xyz\"}}}",
                "authentication.x509Thumbprint.primaryThumbprint");
        bad.put("{\"authentication\": {\"type\": \"x509\", \"x509Thumbprint\": {\"primaryThumbprint\": \""
                + "a".repeat(40) + "\", \"secondaryThumbprint\": \"a1\"}}}", "authentication.x509Thumbprint.secondaryThumbprint");
        bad.put("{\"authentication\": {\"type\": \"sas\"}, \"etag\": \"1\"}", "etag");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertError(cloud.send("PATCH", path, admin(), e.getKey()), 400, "cloud-invalid-argument", e.getValue());
        }
        assertError(cloud.send("PATCH", path, admin(), "{\"authentication\": {\"type\": \"sas\"}}",
                "If-Match", "\"3\""), 400, "cloud-invalid-argument", "If-Match");
        assertError(cloud.send("PATCH", "/api/v1/devices/nobody", admin(), "{\"authentication\": {\"type\": \"sas\"}}"),
                404, "cloud-not-found", null);
        assertError(cloud.send("PATCH", path, reader(), "{\"authentication\": {\"type\": \"sas\"}}"),
                403, "api-forbidden", null);

        assertThat(cloud.store.registry().get("gw-1").orElseThrow().auth().primary()).isEqualTo(key);
        assertThat(cloud.store.registry().get("nobody")).isEmpty();
    }

    @Test
    void givenConnectedEdgeWithChild_whenItsKeysRotatedThenX509_thenOldKeyRefusedNewKeyOpensItAndItsChild()
            throws Exception {
        String oldKey = json(createDevice("edge-1", "{}")).at("/authentication/symmetricKey/primaryKey").asText();
        cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"leaf-1\", \"parentId\": \"edge-1\"}");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path endpointDir = dir.resolve("endpoint");
        try (io.outpost.cloud.endpoint.testing.TestCloud endpoint =
                io.outpost.cloud.endpoint.testing.TestCloud.start(cloud.store, endpointDir, port, 3)) {
            Path trust = endpointDir.resolve("trust-bundle.pem");
            MqttClient connected = connect(trust, port, "edge-1", oldKey);
            try {
                HttpResponse<String> rotated = cloud.send("PATCH", "/api/v1/devices/edge-1", admin(),
                        "{\"authentication\": {\"type\": \"sas\"}}");
                assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
                String newKey = json(rotated).at("/authentication/symmetricKey/primaryKey").asText();
                String newSecondary = json(rotated).at("/authentication/symmetricKey/secondaryKey").asText();

                // the connection made with the old key lives on until its token expires
                connected.publish("devices/edge-1/messages/events/", "after-rotation".getBytes(StandardCharsets.UTF_8), 1, false);
                assertThat(connected.isConnected()).isTrue();
                assertThat(cloud.store.telemetry().recent("edge-1", 10)).as("PUBACK comes after the row is stored")
                        .hasSize(1);

                assertRefused(trust, port, "edge-1", oldKey);
                assertRefused(trust, port, "leaf-1", oldKey);
                connect(trust, port, "edge-1", newKey).disconnect();
                connect(trust, port, "edge-1", newSecondary).disconnect();
                MqttClient leaf = connect(trust, port, "leaf-1", newKey);
                assertThat(leaf.isConnected()).as("the parent's new key opens its child").isTrue();
                leaf.disconnect();

                HttpResponse<String> x509 = cloud.send("PATCH", "/api/v1/devices/edge-1", admin(),
                        "{\"authentication\": {\"type\": \"x509\", \"x509Thumbprint\": {\"primaryThumbprint\": \""
                                + "ab".repeat(20) + "\"}}}");
                assertThat(x509.statusCode()).as(x509.body()).isEqualTo(200);
                assertRefused(trust, port, "edge-1", newKey);
                assertRefused(trust, port, "leaf-1", newKey);
            } finally {
                if (connected.isConnected()) {
                    connected.disconnect();
                }
                connected.close();
            }
        }
    }

    @Test
    void givenLeafUnderEdgeA_whenReparentedToEdgeBThenUnparented_thenOnlyItsCurrentParentsKeyOpensIt()
            throws Exception {
        String keyA = json(createDevice("edge-a", "{}")).at("/authentication/symmetricKey/primaryKey").asText();
        String keyB = json(createDevice("edge-b", "{}")).at("/authentication/symmetricKey/primaryKey").asText();
        String leafKey = json(cloud.send("POST", "/api/v1/devices", admin(),
                "{\"deviceId\": \"leaf-1\", \"parentId\": \"edge-a\"}")).at("/authentication/symmetricKey/primaryKey")
                .asText();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path endpointDir = dir.resolve("endpoint");
        try (io.outpost.cloud.endpoint.testing.TestCloud endpoint =
                io.outpost.cloud.endpoint.testing.TestCloud.start(cloud.store, endpointDir, port, 3)) {
            Path trust = endpointDir.resolve("trust-bundle.pem");
            MqttClient throughA = connect(trust, port, "leaf-1", keyA);
            try {
                assertRefused(trust, port, "leaf-1", keyB);

                HttpResponse<String> moved = cloud.send("PATCH", "/api/v1/devices/leaf-1", admin(),
                        "{\"parentId\": \"edge-b\"}");

                assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
                assertThat(json(moved).get("parentId").asText()).isEqualTo("edge-b");
                assertThat(json(moved).at("/authentication/symmetricKey/primaryKey").asText()).isEqualTo(leafKey);
                // the connection opened through the old parent lives on until it ends
                throughA.publish("devices/leaf-1/messages/events/", "after-move".getBytes(StandardCharsets.UTF_8), 1,
                        false);
                assertThat(throughA.isConnected()).isTrue();
                assertRefused(trust, port, "leaf-1", keyA);
                MqttClient throughB = connect(trust, port, "leaf-1", keyB);
                assertThat(throughB.isConnected()).as("the new parent's key opens its child").isTrue();
                throughB.disconnect();
                connect(trust, port, "leaf-1", leafKey).disconnect();

                HttpResponse<String> alone = cloud.send("PATCH", "/api/v1/devices/leaf-1", admin(),
                        "{\"parentId\": null}");

                assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);
                assertThat(json(alone).get("parentId").isNull()).as(alone.body()).isTrue();
                assertThat(cloud.store.registry().get("leaf-1").orElseThrow().parentId()).isEmpty();
                assertRefused(trust, port, "leaf-1", keyA);
                assertRefused(trust, port, "leaf-1", keyB);
                connect(trust, port, "leaf-1", leafKey).disconnect();
            } finally {
                if (throughA.isConnected()) {
                    throughA.disconnect();
                }
                throughA.close();
            }
        }
    }

    @Test
    void givenBadParentPatches_whenSent_then400Or404NamingParentIdOr403AndNothingChanged() throws Exception {
        createDevice("edge-a", "{}");
        createDevice("edge-b", "{}");
        cloud.send("POST", "/api/v1/devices", admin(), "{\"deviceId\": \"leaf-1\", \"parentId\": \"edge-a\"}");
        createDevice("gw-1", "{}");

        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"parentId\": \"a b\"}"),
                400, "cloud-invalid-argument", "parentId");
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"parentId\": 7}"),
                400, "cloud-invalid-argument", "parentId");
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"parentId\": \"gw-1\"}"),
                400, "cloud-invalid-argument", "parentId");
        HttpResponse<String> grandChild = cloud.send("PATCH", "/api/v1/devices/gw-1", admin(),
                "{\"parentId\": \"leaf-1\"}");
        assertError(grandChild, 400, "cloud-invalid-argument", "parentId");
        assertThat(json(grandChild).at("/error/message").asText()).contains("'leaf-1' is itself a child of 'edge-a'");
        HttpResponse<String> hasChildren = cloud.send("PATCH", "/api/v1/devices/edge-a", admin(),
                "{\"parentId\": \"edge-b\"}");
        assertError(hasChildren, 400, "cloud-invalid-argument", "parentId");
        assertThat(json(hasChildren).at("/error/message").asText()).contains("has children");
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", admin(), "{\"parentId\": \"nowhere\"}"),
                404, "cloud-not-found", "parentId");
        assertError(cloud.send("PATCH", "/api/v1/devices/nobody", admin(), "{\"parentId\": \"edge-a\"}"),
                404, "cloud-not-found", null);
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", reader(), "{\"parentId\": \"edge-a\"}"),
                403, "api-forbidden", null);
        assertError(cloud.send("PATCH", "/api/v1/devices/gw-1", admin(),
                "{\"parentId\": \"nowhere\", \"status\": \"disabled\"}"), 404, "cloud-not-found", "parentId");

        assertThat(cloud.store.registry().list())
                .extracting(d -> d.id() + "<" + d.parentId().orElse("") + ":" + d.enabled())
                .containsExactly("edge-a<:true", "edge-b<:true", "gw-1<:true", "leaf-1<edge-a:true");
    }

    private static void assertRefused(Path trust, int port, String deviceId, String key) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect(trust, port, deviceId, key))
                .as(deviceId + " with a key it no longer has")
                .isInstanceOfSatisfying(org.eclipse.paho.client.mqttv3.MqttException.class, e -> assertThat(e.getReasonCode())
                        .isEqualTo(org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_NOT_AUTHORIZED));
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
        try (io.outpost.cloud.endpoint.testing.TestCloud endpoint =
                io.outpost.cloud.endpoint.testing.TestCloud.start(cloud.store, dir.resolve("endpoint"), port, 3)) {
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

    @Test
    void givenCloudToDeviceMessages_whenSent_thenQueuedDeliveredOnSubscribeListedPurgedOrPreciselyRefused()
            throws Exception {
        String key = json(createDevice("c2d-1", "{}")).at("/authentication/symmetricKey/primaryKey").asText();
        createDevice("c2d-2", "{}");
        String path = "/api/v1/devices/c2d-1/messages";
        String message = "{\"body\": \"hello w\u00f6rld\", \"messageId\": \"m-1\", \"correlationId\": \"c-1\","
                + " \"contentType\": \"text/plain\", \"contentEncoding\": \"utf-8\", \"ttlSeconds\": 600,"
                + " \"properties\": {\"site\": \"A\", \"k 1\": \"v&w=x\"}}";

        assertError(cloud.send("POST", path, admin(), message), 503, "api-endpoint-unavailable", null);

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path endpointDir = dir.resolve("endpoint");
        try (io.outpost.cloud.endpoint.testing.TestCloud endpoint =
                io.outpost.cloud.endpoint.testing.TestCloud.start(cloud.store, endpointDir, port, 3)) {
            cloud.messaging = endpoint.messaging();

            // the device is offline: queued, 202 at once
            Instant before = Instant.now().minusSeconds(1);
            HttpResponse<String> sent = cloud.send("POST", path, admin(), message);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            JsonNode queued = json(sent);
            assertThat(queued.get("deviceId").asText()).isEqualTo("c2d-1");
            assertThat(queued.get("messageId").asText()).isEqualTo("m-1");
            assertThat(queued.get("state").asText()).isEqualTo("queued");
            Instant enqueued = Instant.parse(queued.get("enqueuedTimeUtc").asText());
            assertThat(enqueued).isAfter(before);
            assertThat(Instant.parse(queued.get("expiryTimeUtc").asText())).isEqualTo(enqueued.plusSeconds(600));

            HttpResponse<String> bare = cloud.send("POST", path, admin(), "{\"body\": \"\"}");
            assertThat(bare.statusCode()).as(bare.body()).isEqualTo(202);
            String generated = json(bare).get("messageId").asText();
            assertThat(generated).matches("[0-9a-f-]{36}");
            assertThat(Instant.parse(json(bare).get("expiryTimeUtc").asText()))
                    .as("the default time to live is one hour")
                    .isEqualTo(Instant.parse(json(bare).get("enqueuedTimeUtc").asText()).plusSeconds(3600));

            HttpResponse<String> listed = cloud.get(path, reader());
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            JsonNode list = json(listed);
            assertThat(list.at("/counts/queued").asLong()).isEqualTo(2);
            assertThat(list.at("/counts/delivered").asLong()).isZero();
            assertThat(list.at("/messages/0/messageId").asText()).isEqualTo("m-1");
            assertThat(list.at("/messages/0/state").asText()).isEqualTo("queued");
            assertThat(list.at("/messages/0/correlationId").asText()).isEqualTo("c-1");
            assertThat(list.at("/messages/0/expiryTimeUtc").asText()).isEqualTo(queued.get("expiryTimeUtc").asText());
            assertThat(list.at("/messages/0/properties/site").asText()).isEqualTo("A");
            assertThat(list.at("/messages/0/bodyBytes").asInt())
                    .isEqualTo("hello w\u00f6rld".getBytes(StandardCharsets.UTF_8).length);
            assertThat(list.at("/messages/1/messageId").asText()).isEqualTo(generated);

            BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
            MqttClient device = connect(endpointDir.resolve("trust-bundle.pem"), port, "c2d-1", key);
            try {
                device.subscribe("devices/c2d-1/messages/devicebound/#", 1, (topic, m) -> received.add(
                        new String[] {topic, new String(m.getPayload(), StandardCharsets.UTF_8), "" + m.getQos()}));

                String[] got = received.poll(10, TimeUnit.SECONDS);
                assertThat(got).isNotNull();
                String prefix = "devices/c2d-1/messages/devicebound/";
                assertThat(got[0]).startsWith(prefix);
                assertThat(bag(got[0].substring(prefix.length()))).containsAllEntriesOf(Map.of("$.mid", "m-1",
                        "$.cid", "c-1", "$.ct", "text/plain", "$.ce", "utf-8",
                        "$.to", "/devices/c2d-1/messages/deviceBound", "$.exp", queued.get("expiryTimeUtc").asText(),
                        "site", "A", "k 1", "v&w=x"));
                assertThat(got[1]).isEqualTo("hello w\u00f6rld");
                assertThat(got[2]).isEqualTo("1");
                String[] empty = received.poll(10, TimeUnit.SECONDS);
                assertThat(empty).isNotNull();
                assertThat(bag(empty[0].substring(prefix.length()))).containsEntry("$.mid", generated);
                assertThat(empty[1]).isEmpty();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (json(cloud.get(path, reader())).at("/counts/delivered").asLong() < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(json(cloud.get(path, reader())).at("/counts/delivered").asLong()).isEqualTo(2);

                // a connected device gets it at once as well
                HttpResponse<String> online = cloud.send("POST", path, admin(), "{\"body\": \"now\"}");
                assertThat(online.statusCode()).as(online.body()).isEqualTo(202);
                assertThat(received.poll(10, TimeUnit.SECONDS)[1]).isEqualTo("now");
            } finally {
                device.disconnect();
                device.close();
            }

            // the queue of c2d-2 (offline) fills up at 3 (the test endpoint's limit), then is purged
            String other = "/api/v1/devices/c2d-2/messages";
            for (int i = 0; i < 3; i++) {
                assertThat(cloud.send("POST", other, admin(), "{\"body\": \"x\"}").statusCode()).isEqualTo(202);
            }
            HttpResponse<String> full = cloud.send("POST", other, admin(), "{\"body\": \"x\"}");
            assertError(full, 403, "cloud-queue-full", null);
            assertThat(json(full).at("/error/message").asText()).contains("DeviceMaximumQueueDepthExceeded");
            assertError(cloud.send("DELETE", other, reader(), null), 403, "api-forbidden", null);
            HttpResponse<String> purged = cloud.send("DELETE", other, admin(), null);
            assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
            assertThat(json(purged).get("purged").asInt()).isEqualTo(3);
            JsonNode afterPurge = json(cloud.get(other, reader()));
            assertThat(afterPurge.at("/counts/purged").asLong()).isEqualTo(3);
            assertThat(afterPurge.at("/counts/queued").asLong()).isZero();
            assertThat(cloud.send("POST", other, admin(), "{\"body\": \"x\"}").statusCode()).isEqualTo(202);

            assertError(cloud.send("POST", "/api/v1/devices/nobody/messages", admin(), message), 404,
                    "cloud-not-found", null);
            assertError(cloud.get("/api/v1/devices/nobody/messages", reader()), 404, "cloud-not-found", null);
            assertError(cloud.send("DELETE", "/api/v1/devices/nobody/messages", admin(), null), 404,
                    "cloud-not-found", null);
            assertError(cloud.send("POST", path, reader(), message), 403, "api-forbidden", null);
            assertError(cloud.send("POST", path, admin(), "{\"properties\": {}}"), 400, "cloud-invalid-argument",
                    "body");
            assertError(cloud.send("POST", path, admin(), "{\"body\": {\"a\": 1}}"), 400,
                    "cloud-invalid-argument", "body");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"properties\": {\"n\": 1}}"),
                    400, "cloud-invalid-argument", "properties.n");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"properties\": {\"$.ct\": \"a\"}}"),
                    400, "cloud-invalid-argument", "properties.$.ct");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"properties\": []}"), 400,
                    "cloud-invalid-argument", "properties");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"messageId\": \"a b\"}"), 400,
                    "cloud-invalid-argument", "messageId");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"correlationId\": \"\"}"), 400,
                    "cloud-invalid-argument", "correlationId");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"contentType\": 5}"), 400,
                    "cloud-invalid-argument", "contentType");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"contentEncoding\": \"\u00e9\"}"),
                    400, "cloud-invalid-argument", "contentEncoding");
            for (String ttl : List.of("0", "172801", "1.5", "\"60\"", "-1")) {
                assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"ttlSeconds\": " + ttl + "}"),
                        400, "cloud-invalid-argument", "ttlSeconds");
            }
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"x\", \"lockToken\": \"t\"}"), 400,
                    "cloud-invalid-argument", "lockToken");
            assertError(cloud.send("POST", path, admin(), "{\"body\": \"" + "x".repeat(64 * 1024 + 1) + "\"}"),
                    400, "cloud-invalid-argument", "body");
            assertThat(json(cloud.get(path, reader())).at("/counts/queued").asLong())
                    .as("refused messages are never queued").isZero();
        }
    }

    private static MqttClient connect(Path trustBundle, int port, String deviceId, String key) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(trustBundle)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setUserName("cloud.test/" + deviceId + "/?api-version=2021-04-12");
        options.setPassword(SasToken.create("cloud.test/devices/" + deviceId, key,
                Instant.now().plus(1, ChronoUnit.HOURS)).toCharArray());
        options.setSocketFactory(tls.getSocketFactory());
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port, deviceId, new MemoryPersistence());
        client.connect(options);
        return client;
    }

    /** The property bag of a devicebound topic, decoded. */
    private static Map<String, String> bag(String encoded) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static final String WITH_CREDENTIALS = BASE.replace("\"runtime\": {\"type\": \"docker\", \"settings\": {}}",
            "\"runtime\": {\"type\": \"docker\", \"settings\": {\"registryCredentials\": {\"acr\": {\"address\": "
            + "\"registry.example\", \"username\": \"puller\", \"password\": \"s3cret-base\"}}}}");

    static final String LAYER_WITH_CREDENTIALS = "{\"$edgeAgent\": {\"properties.desired.runtime.settings."
            + "registryCredentials.extra\": {\"address\": \"extra.example\", \"username\": \"u2\", "
            + "\"password\": \"s3cret-layer\"}}}";

    @Test
    void givenDesiredPatchOver32KiB_whenPatchedOverRest_then400NamingTheSectionAndTheTwinIsUnchanged() throws Exception {
        createDevice("gw-1", "{}");
        cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(), "{\"properties\": {\"desired\": {\"kept\": 1}}}");
        String before = cloud.get("/api/v1/devices/gw-1/twin", reader()).body();

        HttpResponse<String> big = cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(),
                "{\"properties\": {\"desired\": {\"big\": \"" + "x".repeat(33_000) + "\"}}}");
        HttpResponse<String> deep = cloud.send("PATCH", "/api/v1/devices/gw-1/twin", admin(),
                "{\"properties\": {\"desired\": " + "{\"l\": ".repeat(12) + "1" + "}".repeat(12) + "}}");

        assertError(big, 400, "cloud-twin-too-large", "properties.desired");
        assertThat(json(big).at("/error/message").asText()).contains("32768 bytes");
        assertError(deep, 400, "cloud-twin-too-large", "properties.desired");
        assertThat(json(deep).at("/error/message").asText()).contains("limit of 10 levels");
        assertThat(cloud.get("/api/v1/devices/gw-1/twin", reader()).body()).isEqualTo(before);
    }

    @Test
    void givenDeploymentWithRegistryCredentials_whenReadWithEachScope_thenOnlyAdminSeesThePasswords() throws Exception {
        createDevice("gw-1", "{\"site\": \"A\"}");
        HttpResponse<String> created = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"site-a\", \"targetCondition\": \"tags.site = 'A'\", \"priority\": 1, "
                + "\"content\": {\"modulesContent\": " + WITH_CREDENTIALS + "}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> layer = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"extra\", \"targetCondition\": \"tags.site = 'A'\", \"layered\": true, "
                + "\"content\": {\"modulesContent\": " + LAYER_WITH_CREDENTIALS + "}}");
        assertThat(layer.statusCode()).as(layer.body()).isEqualTo(201);
        List<String> paths = List.of("/api/v1/deployments/site-a", "/api/v1/deployments/extra",
                "/api/v1/devices/gw-1/configuration", "/api/v1/devices/gw-1/modules/%24edgeAgent/twin",
                "/api/v1/devices/gw-1/modules");

        for (String path : paths) {
            HttpResponse<String> read = cloud.get(path, reader());
            HttpResponse<String> full = cloud.get(path, admin());

            assertThat(read.statusCode()).as(path).isEqualTo(200);
            assertThat(read.body()).as(path).doesNotContain("s3cret").contains("<redacted>");
            assertThat(full.body()).as(path).contains("s3cret");
        }
        assertThat(cloud.get("/api/v1/devices/gw-1/configuration", reader()).body()).contains("puller")
                .contains("u2").doesNotContain("s3cret-layer");
        assertThat(cloud.get("/api/v1/devices/gw-1/configuration", admin()).body()).contains("s3cret-base")
                .contains("s3cret-layer");
    }

    @Test
    void givenReportedPropertyCondition_whenTheContentCarriesRegistryCredentials_thenRefusedUnlessAllowed()
            throws Exception {
        String condition = "properties.reported.site = 'A'";

        HttpResponse<String> refused = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"by-report\", \"targetCondition\": \"" + condition + "\", "
                + "\"content\": {\"modulesContent\": " + WITH_CREDENTIALS + "}}");
        HttpResponse<String> badSwitch = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"by-report\", \"targetCondition\": \"" + condition + "\", \"allowReportedConditions\": "
                + "\"yes\", \"content\": {\"modulesContent\": " + WITH_CREDENTIALS + "}}");
        HttpResponse<String> quoted = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"quoted\", \"targetCondition\": \"tags.note = 'properties.reported.x'\", "
                + "\"content\": {\"modulesContent\": " + WITH_CREDENTIALS + "}}");
        HttpResponse<String> noSecrets = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"plain\", \"targetCondition\": \"" + condition + "\", "
                + "\"content\": {\"modulesContent\": " + BASE + "}}");
        HttpResponse<String> allowed = cloud.send("POST", "/api/v1/deployments", admin(),
                "{\"id\": \"by-report\", \"targetCondition\": \"" + condition + "\", \"allowReportedConditions\": true, "
                + "\"content\": {\"modulesContent\": " + WITH_CREDENTIALS + "}}");

        assertError(refused, 400, "cloud-invalid-argument", "targetCondition");
        assertThat(json(refused).at("/error/message").asText()).contains("properties.reported")
                .contains("registryCredentials").contains("allowReportedConditions");
        assertError(badSwitch, 400, "cloud-invalid-argument", "allowReportedConditions");
        assertThat(quoted.statusCode()).as(quoted.body()).isEqualTo(201);
        assertThat(noSecrets.statusCode()).as(noSecrets.body()).isEqualTo(201);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);
        assertThat(cloud.store.deployments().get("by-report")).isPresent();
    }

}
