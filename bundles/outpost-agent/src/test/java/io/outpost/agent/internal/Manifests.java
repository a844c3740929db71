package io.outpost.agent.internal;

import java.nio.charset.StandardCharsets;

/** Small deployment manifests for the agent's tests, built from module one-liners. */
final class Manifests {

    private Manifests() {
    }

    /** A module entry: name, image, startupOrder, restart policy, status and one env value. */
    static String module(String name, String image, long order, String policy, String status, String env) {
        return """
                "%s": {"version": "1.0", "type": "docker", "status": "%s", "restartPolicy": "%s",
                  "startupOrder": %d, "imagePullPolicy": "never",
                  "env": {"MODE": {"value": "%s"}},
                  "settings": {"image": "%s", "createOptions": "{}"}}
                """.formatted(name, status, policy, order, env, image);
    }

    static byte[] manifest(String... modules) {
        return manifestWithRoutes("", modules);
    }

    /** A manifest whose {@code $edgeHub} routes object holds {@code routes} (JSON members, comma-separated). */
    static byte[] manifestWithRoutes(String routes, String... modules) {
        String json = """
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {
                    "schemaVersion": "1.1",
                    "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
                    "systemModules": {
                      "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent:1", "createOptions": "{}"}},
                      "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                                  "settings": {"image": "outpost/hub:1", "createOptions": "{}"}}},
                    "modules": {%s}}},
                  "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": {%s},
                    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
                """.formatted(String.join(",", modules), routes);
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
