package io.outpost.agent.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Deployment manifests for the integration tests: modules with createOptions, image pull policy and env,
 * and registry credentials. Values are test constants, so no JSON escaping beyond createOptions is needed.
 */
final class ItManifest {

    /** One module entry; {@code createOptions} is the Docker create JSON (it is embedded as a string). */
    record Module(String name, String image, long order, String policy, String pullPolicy, String env,
            String createOptions) {

        static Module looping(String name, long order) {
            return new Module(name, EngineItSupport.TEST_IMAGE, order, "always", "never", "1", "{}");
        }

        static Module running(String name, String shellCommand, String policy) {
            return new Module(name, EngineItSupport.TEST_IMAGE, 0, policy, "never", "1",
                    "{\"Cmd\":[\"sh\",\"-c\",\"" + shellCommand + "\"]}");
        }

        Module withEnv(String value) {
            return new Module(name, image, order, policy, pullPolicy, value, createOptions);
        }

        Module withImage(String newImage, String newPullPolicy) {
            return new Module(name, newImage, order, policy, newPullPolicy, env, createOptions);
        }

        Module withCreateOptions(String options) {
            return new Module(name, image, order, policy, pullPolicy, env, options);
        }

        String json() {
            String options = createOptions.replace("\\", "\\\\").replace("\"", "\\\"");
            return """
                    "%s": {"version": "1.0", "type": "docker", "status": "running", "restartPolicy": "%s",
                      "startupOrder": %d, "imagePullPolicy": "%s", "env": {"MODE": {"value": "%s"}},
                      "settings": {"image": "%s", "createOptions": "%s"}}
                    """.formatted(name, policy, order, pullPolicy, env, image, options);
        }
    }

    private final List<Module> modules = new ArrayList<>();
    private final List<String> credentials = new ArrayList<>();

    static ItManifest of(Module... modules) {
        ItManifest m = new ItManifest();
        m.modules.addAll(List.of(modules));
        return m;
    }

    ItManifest credentials(String name, String address, String user, String password) {
        credentials.add("\"%s\": {\"address\": \"%s\", \"username\": \"%s\", \"password\": \"%s\"}"
                .formatted(name, address, user, password));
        return this;
    }

    byte[] bytes() {
        String json = """
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {
                    "schemaVersion": "1.1",
                    "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25",
                      "registryCredentials": {%s}}},
                    "systemModules": {
                      "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent:1", "createOptions": "{}"}},
                      "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                                  "settings": {"image": "outpost/hub:1", "createOptions": "{}"}}},
                    "modules": {%s}}},
                  "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {},
                    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
                """.formatted(String.join(",", credentials), String.join(",", modules.stream().map(Module::json).toList()));
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
