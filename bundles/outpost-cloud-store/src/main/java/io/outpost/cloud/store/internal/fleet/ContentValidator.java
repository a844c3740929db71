package io.outpost.cloud.store.internal.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.OutpostException;
import io.outpost.manifest.ManifestParser;
import io.outpost.manifest.Problem;
import io.outpost.manifest.ValidationResult;
import java.util.stream.Collectors;

/**
 * Checks deployment content with the edge's own manifest parser. A base deployment must be a whole valid
 * manifest; a layer must give a valid manifest when applied to the smallest valid base, so errors in a layer
 * are named by their place in that merged manifest.
 */
public final class ContentValidator {

    /** The smallest valid base: the runtime and system modules, no module, no route. */
    static final String SKELETON = """
            {"$edgeAgent": {"properties.desired": {"schemaVersion": "1.1",
              "runtime": {"type": "docker", "settings": {}},
              "systemModules": {
                "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent", "createOptions": ""}},
                "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                            "settings": {"image": "outpost/hub", "createOptions": ""}}},
              "modules": {}}},
             "$edgeHub": {"properties.desired": {"schemaVersion": "1.2", "routes": {},
              "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}""";

    private final ManifestParser parser;

    public ContentValidator(ManifestParser parser) {
        this.parser = parser;
    }

    /** The normalized content of a deployment, or a {@link CloudErrorCode#DEPLOYMENT_INVALID} refusal. */
    public ObjectNode check(String modulesContent, boolean layered) {
        ObjectNode content = ModulesContent.parse(modulesContent);
        ObjectNode base = layered ? ModulesContent.apply(Json.object(), Json.parseObject(SKELETON, "skeleton"))
                : Json.object();
        ObjectNode merged = ModulesContent.apply(base, content);
        requireValid(merged, layered ? "the layer applied to an empty base deployment" : "the deployment");
        return layered ? content : merged;
    }

    /** Refuses a merged configuration that is not a valid manifest. */
    public void requireValid(ObjectNode merged, String what) {
        ObjectNode manifest = Json.object();
        manifest.set("modulesContent", merged);
        ValidationResult result = parser.parse(Json.write(manifest));
        if (!result.valid()) {
            throw new OutpostException(CloudErrorCode.DEPLOYMENT_INVALID, what + " is not a valid deployment "
                    + "manifest:\n" + result.errors().stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }
    }
}
