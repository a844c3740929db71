package io.outpost.manifest;

import static io.outpost.manifest.Samples.AGENT;
import static io.outpost.manifest.Samples.HUB;
import static io.outpost.manifest.Samples.QUICKSTART;
import static io.outpost.manifest.Samples.STARTUP_ORDER;
import static io.outpost.manifest.Samples.WRAPPED;
import static io.outpost.manifest.Samples.at;
import static io.outpost.manifest.Samples.edited;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Things Azure accepts but that are probably mistakes: the manifest stays valid, with a warning. */
class WarningTest {

    private static final String DASHBOARD = AGENT + "/modules/dashboard";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ManifestParser parser = new ManifestParser();

    private DeploymentManifest assertWarning(String json, String pointer, String gist) {
        ValidationResult result = parser.parse(json);
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).hasSize(1);
        assertThat(result.warnings().get(0).pointer()).isEqualTo(pointer);
        assertThat(result.warnings().get(0).message()).contains(gist);
        assertThat(result.warnings().get(0).toString()).startsWith("warning: " + pointer + ": ");
        return result.orElseThrow();
    }

    private static String startupOrder(Consumer<ObjectNode> edit) {
        return edited(STARTUP_ORDER, edit);
    }

    @Test
    void givenRouteToUndeclaredModule_whenParsed_thenWarningAtRoute() {
        assertWarning(startupOrder(root -> at(root, HUB + "/routes/history").put("route",
                "FROM /messages/* INTO BrokeredEndpoint(\"/modules/archive/inputs/raw\")")),
                HUB + "/routes/history/route",
                "sends to BrokeredEndpoint of module \"archive\", which the manifest does not declare");
    }

    @Test
    void givenRouteFromUndeclaredModule_whenParsed_thenWarningAtRoute() {
        assertWarning(startupOrder(root -> at(root, HUB + "/routes").put("telemetry",
                "FROM /messages/modules/plc/outputs/* INTO $upstream")), HUB + "/routes/telemetry",
                "reads from module \"plc\", which the manifest does not declare");
    }

    @Test
    void givenTwinSectionWithoutModule_whenParsed_thenWarningAtSection() {
        DeploymentManifest m = assertWarning(startupOrder(root -> at(root, "/modulesContent").set("ghost",
                MAPPER.valueToTree(Map.of("properties.desired", Map.of("a", 1))))), "/modulesContent/ghost",
                "twin section of module \"ghost\", which the manifest does not declare");
        assertThat(m.twins()).containsEntry("ghost", "{\"a\":1}");
    }

    @Test
    void givenUnknownProperty_whenParsed_thenWarningAndIgnored() {
        assertWarning(startupOrder(root -> at(root, DASHBOARD).put("cpuLimit", 2)), DASHBOARD + "/cpuLimit",
                "unknown property \"cpuLimit\" is ignored");
    }

    @Test
    void givenUnknownSystemSection_whenParsed_thenWarning() {
        assertWarning(startupOrder(root -> at(root, "/modulesContent").set("$edgeFoo", MAPPER.createObjectNode())),
                "/modulesContent/$edgeFoo", "unknown property \"$edgeFoo\" is ignored");
    }

    @Test
    void givenCreateOptionsAsObject_whenParsed_thenWarningAndSerialized() {
        DeploymentManifest m = assertWarning(startupOrder(root -> at(root, DASHBOARD + "/settings")
                .set("createOptions", MAPPER.valueToTree(Map.of("User", "1000")))),
                DASHBOARD + "/settings/createOptions", "Azure expects it serialized as a string");
        assertThat(m.module("dashboard").orElseThrow().createOptions()).isEqualTo("{\"User\":\"1000\"}");
    }

    @Test
    void givenRestartPolicyInOtherCase_whenParsed_thenWarningAndAccepted() {
        DeploymentManifest m = assertWarning(startupOrder(root -> at(root, DASHBOARD).put("restartPolicy", "On-Failure")),
                DASHBOARD + "/restartPolicy", "\"On-Failure\" is accepted as \"on-failure\"");
        assertThat(m.module("dashboard").orElseThrow().restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
    }

    @Test
    void givenNumericEnvValue_whenParsed_thenWarningAndText() {
        DeploymentManifest m = assertWarning(startupOrder(root -> at(root, DASHBOARD).set("env",
                MAPPER.valueToTree(Map.of("PORT", Map.of("value", 8080))))), DASHBOARD + "/env/PORT/value",
                "expected a string, found number 8080");
        assertThat(m.module("dashboard").orElseThrow().env()).containsEntry("PORT", "8080");
    }

    @Test
    void givenStartupOrderUnderSchema10_whenParsed_thenWarningAndDefaultOrder() {
        String prefix = "/content" + AGENT + "/modules/sensor";
        DeploymentManifest m = assertWarning(edited(WRAPPED, root -> at(root, prefix).put("startupOrder", 1)),
                prefix + "/startupOrder", "startupOrder needs $edgeAgent schemaVersion 1.1");
        assertThat(m.module("sensor").orElseThrow().startupOrder()).isEqualTo(ModuleSpec.MAX_STARTUP_ORDER);
    }

    @Test
    void givenRegistryAddressWithScheme_whenParsed_thenWarning() {
        String creds = "/content" + AGENT + "/runtime/settings/registryCredentials/plant";
        assertWarning(edited(WRAPPED, root -> at(root, creds).put("address", "https://registry.plant.example")),
                creds + "/address", "has a URL scheme");
    }

    @Test
    void givenModuleNameDockerCannotUse_whenParsed_thenWarning() {
        assertWarning(startupOrder(root -> {
            ObjectNode modules = at(root, AGENT + "/modules");
            modules.set("_dashboard", modules.remove("dashboard"));
        }), AGENT + "/modules/_dashboard", "cannot be a Docker container name as it is");
    }

    @Test
    void givenSignedManifest_whenParsed_thenIntegrityKeptAndWarningThatItIsNotVerified() {
        DeploymentManifest m = assertWarning(edited(QUICKSTART, root -> at(root, AGENT).set("integrity",
                MAPPER.valueToTree(Map.of("header", Map.of("signercert", List.of("-----BEGIN CERTIFICATE-----", "MIIB")),
                        "signature", Map.of("bytes", "c2lnbmF0dXJl", "algorithm", "ES256"))))),
                AGENT + "/integrity", "does not verify the signature");
        Integrity integrity = m.integrity().orElseThrow();
        assertThat(integrity.signerCert()).containsExactly("-----BEGIN CERTIFICATE-----", "MIIB");
        assertThat(integrity.intermediateCaCert()).isEmpty();
        assertThat(integrity.algorithm()).isEqualTo("ES256");
    }
}
