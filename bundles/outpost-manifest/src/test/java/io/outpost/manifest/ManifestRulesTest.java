package io.outpost.manifest;

import static io.outpost.manifest.Samples.AGENT;
import static io.outpost.manifest.Samples.HUB;
import static io.outpost.manifest.Samples.STARTUP_ORDER;
import static io.outpost.manifest.Samples.WRAPPED;
import static io.outpost.manifest.Samples.at;
import static io.outpost.manifest.Samples.edited;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.manifest.Problem.Severity;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules that refuse what the runtime could not run later: routes are compiled by the route language itself,
 * module names are safe as container and file names and distinct ignoring case, createOptions chunks have no
 * gap, and {@code $edgeHub} 1.1 and later declare their store-and-forward configuration. Each refusal is one
 * error whose exact text names the field.
 */
class ManifestRulesTest {

    private static final String SETTINGS = AGENT + "/modules/dashboard/settings";

    private final ManifestParser parser = new ManifestParser();

    private void assertRefused(String json, String pointer, String message) {
        ValidationResult result = parser.parse(json);

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).containsExactly(new Problem(Severity.ERROR, pointer, message));
        assertThat(result.errorCode()).contains(ManifestErrorCode.INVALID);
    }

    private static String sample(Consumer<ObjectNode> edit) {
        return edited(STARTUP_ORDER, edit);
    }

    private static Consumer<ObjectNode> renameModule(String to) {
        return root -> {
            ObjectNode modules = at(root, AGENT + "/modules");
            modules.set(to, modules.remove("dashboard"));
        };
    }

    @Test
    void givenRouteTextWithBrokenWhere_whenParsed_thenRefusedAtRouteWithColumn() {
        assertRefused(sample(root -> at(root, HUB + "/routes").put("telemetry",
                "FROM /messages/modules/opcua-publisher/outputs/* WHERE $body.value > INTO $upstream")),
                HUB + "/routes/telemetry", "the route does not parse at column 70: expected a value, a name, a "
                        + "function call or '(', found 'INTO'");
    }

    @Test
    void givenRouteObjectWithBrokenWhere_whenParsed_thenRefusedAtItsRouteWithColumn() {
        assertRefused(sample(root -> at(root, HUB + "/routes/alarms").put("route",
                "FROM /messages/modules/opcua-publisher/outputs/alarms WHERE (severity = 'high' INTO $upstream")),
                HUB + "/routes/alarms/route", "the route does not parse at column 80: expected ')' to close '(' at "
                        + "column 61, found 'INTO'");
    }

    @Test
    void givenRouteWithSelectStar_whenParsed_thenAcceptedAsTheRouteLanguageAcceptsIt() {
        ValidationResult result = parser.parse(sample(root -> at(root, HUB + "/routes").put("telemetry",
                "SELECT * FROM /messages/modules/opcua-publisher/outputs/* INTO $upstream")));

        assertThat(result.problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash.board", ".", ".."})
    void givenModuleNameWithDot_whenParsed_thenRefusedAtModule(String name) {
        assertRefused(sample(renameModule(name)), AGENT + "/modules/" + name, "\"" + name + "\" is not a module "
                + "name; expected 1 to 128 ASCII letters, digits, '_' or '-'");
    }

    @Test
    void givenModuleNameWithColon_whenParsed_thenRefused() {
        assertRefused(sample(renameModule("line1:dashboard")), AGENT + "/modules/line1:dashboard",
                "\"line1:dashboard\" is not a module name; expected 1 to 128 ASCII letters, digits, '_' or '-'");
    }

    @Test
    void givenTwoModuleNamesDifferingOnlyInCase_whenParsed_thenRefusedNamingBoth() {
        assertRefused(sample(root -> at(root, AGENT + "/modules").set("Dashboard",
                at(root, AGENT + "/modules/dashboard").deepCopy())), AGENT + "/modules/Dashboard",
                "modules \"dashboard\" and \"Dashboard\" differ only in case; module names must differ in more than "
                        + "case");
    }

    @Test
    void givenModuleNamedLikeSystemModuleInOtherCase_whenParsed_thenRefused() {
        assertRefused(sample(renameModule("EdgeHub")), AGENT + "/modules/EdgeHub",
                "modules \"edgeHub\" and \"EdgeHub\" differ only in case; module names must differ in more than "
                        + "case");
    }

    @Test
    void givenCreateOptionsChunkGap_whenParsed_thenRefusedNamingTheMissingChunk() {
        assertRefused(sample(root -> {
            at(root, SETTINGS).put("createOptions", "{\"User\":");
            at(root, SETTINGS).put("createOptions01", "\"10");
            at(root, SETTINGS).put("createOptions03", "00\"}");
        }), SETTINGS + "/createOptions02", "chunk createOptions02 is missing: createOptions03 follows "
                + "createOptions01, and chunks are numbered without gaps");
    }

    @Test
    void givenCreateOptionsGapOfSeveralChunks_whenParsed_thenRefusedNamingThemAll() {
        assertRefused(sample(root -> {
            at(root, SETTINGS).put("createOptions", "{\"User\":");
            at(root, SETTINGS).put("createOptions04", "\"1000\"}");
        }), SETTINGS + "/createOptions01", "chunks createOptions01 to createOptions03 are missing: createOptions04 "
                + "follows createOptions, and chunks are numbered without gaps");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1", "1.2"})
    void givenHubSchemaFrom11WithoutStoreAndForward_whenParsed_thenRefused(String schema) {
        assertRefused(sample(root -> {
            at(root, HUB).put("schemaVersion", schema);
            at(root, HUB).remove("storeAndForwardConfiguration");
        }), HUB + "/storeAndForwardConfiguration", "required property is missing; $edgeHub schemaVersion " + schema
                + " requires storeAndForwardConfiguration (an object with timeToLiveSecs)");
    }

    @Test
    void givenHubSchema10WithoutStoreAndForward_whenParsed_thenValidWithDefaultTtl() {
        String hub = "/content" + HUB;
        ValidationResult result = parser.parse(edited(WRAPPED, root -> at(root, hub)
                .remove("storeAndForwardConfiguration")));

        assertThat(result.errors()).isEmpty();
        assertThat(result.orElseThrow().hub().timeToLiveSecs()).isEqualTo(HubSettings.DEFAULT_TIME_TO_LIVE_SECS);
    }
}
