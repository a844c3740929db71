package io.outpost.manifest;

import static io.outpost.manifest.Samples.AGENT;
import static io.outpost.manifest.Samples.HUB;
import static io.outpost.manifest.Samples.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.OutpostException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValidManifestTest {

    private final ManifestParser parser = new ManifestParser();

    private DeploymentManifest valid(String json) {
        ValidationResult result = parser.parse(json);
        assertThat(result.errors()).isEmpty();
        assertThat(result.errorCode()).isEmpty();
        return result.manifest().orElseThrow();
    }

    @Test
    void givenQuickstartManifest_whenParsed_thenValidWithoutWarnings() {
        ValidationResult result = parser.parse(Samples.text(Samples.QUICKSTART));

        assertThat(result.problems()).isEmpty();
        DeploymentManifest m = result.orElseThrow();
        assertThat(m.agentSchemaVersion()).isEqualTo("1.1");
        assertThat(m.runtime().type()).isEqualTo("docker");
        assertThat(m.runtime().minDockerVersion()).isEqualTo("v1.25");
        assertThat(m.modules()).containsOnlyKeys("SimulatedTemperatureSensor");
        assertThat(m.systemModules()).containsOnlyKeys("edgeAgent", "edgeHub");
        assertThat(m.systemModules().get("edgeHub").image()).isEqualTo("mcr.microsoft.com/azureiotedge-hub:1.5");
        assertThat(m.systemModules().get("edgeAgent").createOptions()).isEmpty();
        assertThat(m.hub().schemaVersion()).isEqualTo("1.1");
        assertThat(m.hub().routes()).containsOnlyKeys("upstream");
        assertThat(m.twins()).containsEntry("SimulatedTemperatureSensor", "{\"SendData\":true,\"SendInterval\":5}");
    }

    @Test
    void givenChunkKeysOutOfOrder_whenParsed_thenJoinedInNumericOrderOfSuffix() {
        ModuleSpec sensor = valid(Samples.text(Samples.QUICKSTART)).module("SimulatedTemperatureSensor").orElseThrow();

        // The file lists createOptions02, createOptions, createOptions01: the join follows the suffix.
        assertThat(sensor.createOptions()).isEqualTo(Samples.text("quickstart-sensor-createoptions.json"));
        assertThat(sensor.createOptions()).startsWith("{\"Env\":").endsWith("\"--reset-on-start\"]}");
    }

    @Test
    void givenModuleWithoutOptionalFields_whenParsed_thenDefaultsApplied() {
        DeploymentManifest m = valid(Samples.text(Samples.QUICKSTART));
        ModuleSpec sensor = m.module("SimulatedTemperatureSensor").orElseThrow();

        assertThat(sensor.imagePullPolicy()).isEqualTo(ImagePullPolicy.ON_CREATE);
        assertThat(sensor.startupOrder()).isEqualTo(4_294_967_295L);
        assertThat(sensor.env()).isEmpty();
        assertThat(sensor.digest()).isEmpty();
        assertThat(sensor.desiredProperties()).isEqualTo("{\"SendData\":true,\"SendInterval\":5}");
        RouteSpec upstream = m.hub().routes().get("upstream");
        assertThat(upstream.priority()).isEqualTo(RouteSpec.DEFAULT_PRIORITY);
        assertThat(upstream.timeToLiveSecs()).isEqualTo(7200);
        assertThat(m.hub().maxSizeBytes()).isEmpty();
        assertThat(m.integrity()).isEmpty();
    }

    @Test
    void givenHubSchema10WithoutStoreAndForwardOrRoutes_whenParsed_thenGlobalTtlIs7200AndNoRoutes() {
        DeploymentManifest m = valid(Samples.edited(Samples.QUICKSTART, root -> {
            // Only schema 1.0 may leave storeAndForwardConfiguration out; 1.1 and later require it.
            at(root, HUB).put("schemaVersion", "1.0");
            at(root, HUB).remove("storeAndForwardConfiguration");
            at(root, HUB).remove("routes");
        }));

        assertThat(m.hub().timeToLiveSecs()).isEqualTo(HubSettings.DEFAULT_TIME_TO_LIVE_SECS).isEqualTo(7200);
        assertThat(m.hub().routes()).isEmpty();
    }

    @Test
    void givenContentWrapperAndSchema10_whenParsed_thenValidWithCredentialsEnvAndGlobalTtl() {
        ValidationResult result = parser.parse(Samples.text(Samples.WRAPPED));

        assertThat(result.problems()).as("fleet keys around content are not warned about").isEmpty();
        DeploymentManifest m = result.orElseThrow();
        assertThat(m.agentSchemaVersion()).isEqualTo("1.0");
        assertThat(m.hub().schemaVersion()).isEqualTo("1.0");
        RegistryCredential plant = m.runtime().registryCredentials().get("plant");
        assertThat(plant).isEqualTo(new RegistryCredential("registry.plant.example:5000", "edge", "s3cret"));
        ModuleSpec filter = m.module("filter").orElseThrow();
        assertThat(filter.version()).isEqualTo("2.3.1");
        assertThat(filter.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(filter.env()).containsExactly(java.util.Map.entry("MODE", "strict"),
                java.util.Map.entry("THRESHOLD", "25"));
        assertThat(filter.desiredProperties()).isEqualTo("{\"TemperatureThreshold\":25}");
        assertThat(m.module("sensor").orElseThrow().desiredProperties()).isEqualTo("{}");
        assertThat(m.systemModules().get("edgeAgent").env()).containsEntry("UpstreamProtocol", "MqttWs");
        assertThat(m.hub().timeToLiveSecs()).isEqualTo(3600);
        assertThat(m.hub().routes().get("sensorToFilter").timeToLiveSecs()).isEqualTo(3600);
    }

    @Test
    void givenSchema11WithStartupOrderAndObjectRoutes_whenParsed_thenValuesKept() {
        DeploymentManifest m = valid(Samples.text(Samples.STARTUP_ORDER));

        assertThat(m.modules()).containsOnlyKeys("dashboard", "historian", "opcua-publisher");
        ModuleSpec publisher = m.module("opcua-publisher").orElseThrow();
        assertThat(publisher.startupOrder()).isEqualTo(1);
        assertThat(publisher.imagePullPolicy()).isEqualTo(ImagePullPolicy.NEVER);
        assertThat(publisher.restartPolicy()).isEqualTo(RestartPolicy.ON_UNHEALTHY);
        assertThat(publisher.digest()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(m.module("historian").orElseThrow().status()).isEqualTo(DesiredStatus.STOPPED);
        assertThat(m.module("dashboard").orElseThrow().startupOrder()).isEqualTo(ModuleSpec.MAX_STARTUP_ORDER);
        assertThat(m.systemModules().get("edgeHub").startupOrder()).isZero();
        assertThat(m.systemModules().get("edgeAgent").imagePullPolicy()).isEqualTo(ImagePullPolicy.NEVER);
        assertThat(m.hub().schemaVersion()).isEqualTo("1.2");
        assertThat(m.hub().routes().get("alarms")).isEqualTo(new RouteSpec("alarms",
                "FROM /messages/modules/opcua-publisher/outputs/alarms INTO $upstream", 0, 86_400));
        assertThat(m.hub().routes().get("history").priority()).isEqualTo(5);
        assertThat(m.hub().routes().get("history").timeToLiveSecs()).isEqualTo(7200);
        assertThat(m.hub().routes().get("telemetry").priority()).isEqualTo(RouteSpec.DEFAULT_PRIORITY);
        assertThat(m.hub().maxSizeBytes()).hasValue(1_073_741_824L);
    }

    @Test
    void givenSameManifest_whenParsedFromStringBytesAndStream_thenSameManifest() throws IOException {
        String text = Samples.text(Samples.STARTUP_ORDER);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        DeploymentManifest fromString = parser.parse(text).orElseThrow();
        assertThat(parser.parse(bytes).orElseThrow()).isEqualTo(fromString);
        assertThat(parser.parse(new ByteArrayInputStream(bytes)).orElseThrow()).isEqualTo(fromString);
    }

    @Test
    void givenUtf8ByteOrderMark_whenParsed_thenValid() {
        byte[] text = Samples.text(Samples.QUICKSTART).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);

        assertThat(parser.parse(withBom).valid()).isTrue();
    }

    @Test
    void givenUnsupportedSchemaAndOtherErrors_whenParsed_thenCodeIs412() {
        ValidationResult result = parser.parse(Samples.edited(Samples.STARTUP_ORDER, root -> {
            at(root, AGENT).put("schemaVersion", "3.0");
            at(root, AGENT + "/modules/dashboard").put("status", "paused");
        }));

        assertThat(result.errors()).hasSize(2);
        assertThat(result.errorCode()).contains(ManifestErrorCode.UNSUPPORTED_SCHEMA);
        assertThat(result.errorCode().orElseThrow().azureStatus()).isEqualTo(412);
    }

    @Test
    void givenSeveralBrokenModules_whenParsed_thenEveryErrorIsCollected() {
        ValidationResult result = parser.parse(Samples.edited(Samples.STARTUP_ORDER, root -> {
            at(root, AGENT + "/modules/dashboard").put("status", "paused");
            at(root, AGENT + "/modules/historian").put("restartPolicy", "sometimes");
            at(root, HUB + "/routes/alarms").put("priority", 12);
        }));

        assertThat(result.errors()).extracting(Problem::pointer).containsExactlyInAnyOrder(
                AGENT + "/modules/dashboard/status", AGENT + "/modules/historian/restartPolicy",
                HUB + "/routes/alarms/priority");
    }

    @Test
    void givenInvalidManifest_whenOrElseThrow_thenOutpostExceptionWithCodeAndEveryError() {
        ValidationResult result = parser.parse(Samples.edited(Samples.STARTUP_ORDER,
                root -> at(root, AGENT + "/modules/dashboard").put("status", "paused")));

        assertThatThrownBy(result::orElseThrow).isInstanceOfSatisfying(OutpostException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ManifestErrorCode.INVALID);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("error: " + AGENT + "/modules/dashboard/status: \"paused\"");
        });
    }
}
