package io.outpost.manifest;

import static io.outpost.manifest.Samples.AGENT;
import static io.outpost.manifest.Samples.HUB;
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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One broken manifest per row: a valid sample with one edit (or a raw text). Each must be refused with
 * exactly one error, at the exact JSON Pointer, whose message says what is wrong and what is allowed.
 */
class BrokenManifestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MODULE = AGENT + "/modules/opcua-publisher";
    private static final String SETTINGS = MODULE + "/settings";

    record Broken(String name, String json, String pointer, String gist, ManifestErrorCode code) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Broken edit(String name, Consumer<ObjectNode> edit, String pointer, String gist) {
        return new Broken(name, edited(STARTUP_ORDER, edit), pointer, gist, ManifestErrorCode.INVALID);
    }

    private static Broken raw(String name, String json, String pointer, String gist, ManifestErrorCode code) {
        return new Broken(name, json, pointer, gist, code);
    }

    private static Consumer<ObjectNode> put(String pointer, String key, Object value) {
        return root -> at(root, pointer).set(key, MAPPER.valueToTree(value));
    }

    private static Consumer<ObjectNode> remove(String pointer, String key) {
        return root -> at(root, pointer).remove(key);
    }

    private static Consumer<ObjectNode> renameModule(String to) {
        return root -> {
            ObjectNode modules = at(root, AGENT + "/modules");
            modules.set(to, modules.remove("dashboard"));
        };
    }

    static Stream<Broken> brokenManifests() {
        return Stream.of(
                edit("unknown restart policy", put(MODULE, "restartPolicy", "sometimes"), MODULE + "/restartPolicy",
                        "\"sometimes\" is not a restart policy; expected one of never, on-failure, on-unhealthy, always"),
                edit("unknown status", put(MODULE, "status", "paused"), MODULE + "/status",
                        "\"paused\" is not a module status; expected one of running, stopped"),
                edit("unknown image pull policy", put(MODULE, "imagePullPolicy", "always"), MODULE + "/imagePullPolicy",
                        "is not an image pull policy; expected one of on-create, never"),
                edit("missing type", remove(MODULE, "type"), MODULE + "/type",
                        "required property is missing; expected a module type (one of docker)"),
                edit("unknown module type", put(MODULE, "type", "rkt"), MODULE + "/type",
                        "\"rkt\" is not a module type; expected one of docker"),
                edit("missing restart policy", remove(MODULE, "restartPolicy"), MODULE + "/restartPolicy",
                        "required property is missing; expected a restart policy"),
                edit("missing image", remove(SETTINGS, "image"), SETTINGS + "/image",
                        "required property is missing; expected an image name"),
                edit("image is a number", put(SETTINGS, "image", 42), SETTINGS + "/image",
                        "expected an image name, found number 42"),
                edit("image is a template variable", put(SETTINGS, "image", "${MODULES.publisher}"),
                        SETTINGS + "/image", "unsubstituted template variable"),
                edit("negative startup order", put(MODULE, "startupOrder", -1), MODULE + "/startupOrder",
                        "-1 is out of range; expected an integer from 0 to 4294967295"),
                edit("startup order above 2^32-1", put(MODULE, "startupOrder", 4_294_967_296L), MODULE + "/startupOrder",
                        "4294967296 is out of range; expected an integer from 0 to 4294967295"),
                edit("startup order as text", put(MODULE, "startupOrder", "1"), MODULE + "/startupOrder",
                        "expected an integer from 0 to 4294967295, found string \"1\""),
                edit("createOptions not JSON", put(SETTINGS, "createOptions", "{HostConfig:"),
                        SETTINGS + "/createOptions", "createOptions is not valid JSON at line 1"),
                edit("createOptions an array", put(SETTINGS, "createOptions", "[1,2]"), SETTINGS + "/createOptions",
                        "createOptions must be a JSON object (Docker's container-create options), found an array"),
                edit("createOptions chunk too long", put(SETTINGS, "createOptions",
                        "{\"Labels\":{\"a\":\"" + "x".repeat(600) + "\"}}"), SETTINGS + "/createOptions",
                        "chunk is 619 characters long; a chunk holds at most 512"),
                edit("chunk without first chunk", put(SETTINGS, "createOptions01", "{}"), SETTINGS + "/createOptions01",
                        "needs the first chunk \"createOptions\", which is missing"),
                edit("chunk key with one digit", root -> {
                    at(root, SETTINGS).put("createOptions", "{}");
                    at(root, SETTINGS).put("createOptions1", "");
                }, SETTINGS + "/createOptions1", "chunks are named createOptions01 to createOptions99"),
                edit("env variable without value", put(MODULE, "env", Map.of("LEVEL", Map.of())),
                        MODULE + "/env/LEVEL/value", "required property is missing; expected a string"),
                edit("env is an array", put(MODULE, "env", List.of("A=1")), MODULE + "/env",
                        "expected an object, found an array"),
                edit("env value is an object", put(MODULE, "env", Map.of("LEVEL",
                        Map.of("value", Map.of()))), MODULE + "/env/LEVEL/value",
                        "expected a string, found an object"),
                edit("env name with =", put(MODULE, "env", Map.of("A=B", Map.of("value", "1"))),
                        MODULE + "/env/A=B", "is not an environment variable name"),
                edit("module name with space", renameModule("dash board"), AGENT + "/modules/dash board",
                        "\"dash board\" is not a module name; expected 1 to 128 ASCII letters"),
                edit("module name with slash is escaped", renameModule("dash/board"), AGENT + "/modules/dash~1board",
                        "is not a module name"),
                edit("module name with tilde is escaped", renameModule("dash~board"), AGENT + "/modules/dash~0board",
                        "is not a module name"),
                edit("module name starting with $", renameModule("$dashboard"), AGENT + "/modules/$dashboard",
                        "names starting with $ are reserved for the runtime"),
                edit("system module under modules", renameModule("edgeHub"), AGENT + "/modules/edgeHub",
                        "is a system module; declare it under systemModules"),
                new Broken("unsupported agent schema", edited(STARTUP_ORDER, put(AGENT, "schemaVersion", "2.0")),
                        AGENT + "/schemaVersion", "\"2.0\" is not a supported $edgeAgent schema version; expected one "
                        + "of 1.0, 1.1", ManifestErrorCode.UNSUPPORTED_SCHEMA),
                new Broken("unsupported hub schema", edited(STARTUP_ORDER, put(HUB, "schemaVersion", "1.3")),
                        HUB + "/schemaVersion", "is not a supported $edgeHub schema version; expected one of 1.0, 1.1, "
                        + "1.2", ManifestErrorCode.UNSUPPORTED_SCHEMA),
                edit("missing agent schema version", remove(AGENT, "schemaVersion"), AGENT + "/schemaVersion",
                        "required property is missing; expected a schema version (one of 1.0, 1.1)"),
                edit("runtime type not docker", put(AGENT + "/runtime", "type", "containerd"), AGENT + "/runtime/type",
                        "\"containerd\" is not a runtime type; expected one of docker"),
                edit("missing runtime", remove(AGENT, "runtime"), AGENT + "/runtime",
                        "required property is missing; expected an object"),
                new Broken("registry credential without password", edited(WRAPPED, remove("/content" + AGENT
                        + "/runtime/settings/registryCredentials/plant", "password")), "/content" + AGENT
                        + "/runtime/settings/registryCredentials/plant/password",
                        "required property is missing; expected a password", ManifestErrorCode.INVALID),
                edit("missing system edgeHub", remove(AGENT + "/systemModules", "edgeHub"),
                        AGENT + "/systemModules/edgeHub", "required property is missing"),
                edit("missing $edgeHub", remove("/modulesContent", "$edgeHub"), "/modulesContent/$edgeHub",
                        "required property is missing"),
                edit("object route under hub schema 1.0", root -> {
                    at(root, HUB).put("schemaVersion", "1.0");
                    at(root, HUB + "/routes").remove("history");
                }, HUB + "/routes/alarms", "a route given as an object needs $edgeHub schemaVersion 1.1 or later"),
                edit("route priority 10", put(HUB + "/routes/alarms", "priority", 10), HUB + "/routes/alarms/priority",
                        "10 is out of range; expected an integer from 0 to 9"),
                edit("negative route TTL", put(HUB + "/routes/alarms", "timeToLiveSecs", -5),
                        HUB + "/routes/alarms/timeToLiveSecs", "-5 is out of range; expected an integer from 0 to "
                        + "4294967295"),
                edit("route text without INTO", put(HUB + "/routes", "telemetry", "FROM /messages/*"),
                        HUB + "/routes/telemetry", "the route does not parse at column 17: expected WHERE or INTO "
                        + "after the source /messages/*"),
                edit("empty route text", put(HUB + "/routes", "telemetry", " "), HUB + "/routes/telemetry",
                        "the route is empty; expected FROM <source> [WHERE <condition>] INTO <sink>"),
                edit("route is a number", put(HUB + "/routes", "telemetry", 42), HUB + "/routes/telemetry",
                        "expected a route text or an object with route, priority and timeToLiveSecs, found number 42"),
                edit("global TTL as text", put(HUB + "/storeAndForwardConfiguration", "timeToLiveSecs", "7200"),
                        HUB + "/storeAndForwardConfiguration/timeToLiveSecs", "expected an integer from 0 to 4294967295"),
                edit("store limit of zero bytes", put(HUB + "/storeAndForwardConfiguration/storeLimits",
                        "maxSizeBytes", 0), HUB + "/storeAndForwardConfiguration/storeLimits/maxSizeBytes",
                        "0 is out of range; expected an integer from 1 to"),
                edit("twin section without desired properties", put("/modulesContent", "historian",
                        Map.of("properties", Map.of())), "/modulesContent/historian/properties.desired",
                        "required property is missing"),
                edit("modules is an array", put(AGENT, "modules", List.of()), AGENT + "/modules",
                        "expected an object, found an array"),
                edit("digest is a tag", put(SETTINGS, "digest", "latest"), SETTINGS + "/digest",
                        "\"latest\" is not an image digest"),
                raw("duplicate key", "{\"modulesContent\":{\"$edgeAgent\":{},\"$edgeAgent\":{}}}",
                        "/modulesContent/$edgeAgent", "duplicate key \"$edgeAgent\"", ManifestErrorCode.INVALID),
                raw("syntax error", "{\"modulesContent\":{\"$edgeAgent\": }}", "/modulesContent/$edgeAgent",
                        "not valid JSON at line 1", ManifestErrorCode.INVALID),
                raw("root is an array", "[]", "", "expected an object, found an array", ManifestErrorCode.INVALID),
                raw("empty document", "  \n", "", "the manifest is empty", ManifestErrorCode.EMPTY),
                raw("empty modulesContent", "{\"modulesContent\":{}}", "/modulesContent", "modulesContent is empty",
                        ManifestErrorCode.EMPTY),
                raw("trailing garbage", "{\"modulesContent\":{\"a\":{}}} x", "", "not valid JSON",
                        ManifestErrorCode.INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenManifests")
    void givenBrokenManifest_whenParsed_thenOneErrorAtExactPointer(Broken broken) {
        ValidationResult result = new ManifestParser().parse(broken.json());

        assertThat(result.valid()).isFalse();
        assertThat(result.manifest()).isEmpty();
        assertThat(result.errors()).as("errors of %s", broken.name()).hasSize(1);
        Problem error = result.errors().get(0);
        assertThat(error.pointer()).isEqualTo(broken.pointer());
        assertThat(error.message()).contains(broken.gist());
        assertThat(result.errorCode()).contains(broken.code());
    }
}
