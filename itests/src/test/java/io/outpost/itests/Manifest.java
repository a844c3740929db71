package io.outpost.itests;

/** Deployment manifests for the end-to-end and Pax Exam tests. */
final class Manifest {

    /** What a module prints when it starts (tests count it in the module's log). */
    static final String STARTED = "module-started";

    /** Prints {@link #STARTED}, then loops; exits at once on TERM, so a stop takes no stop timeout. */
    static final String LOOP = "echo " + STARTED + "; trap 'exit 0' TERM; while true; do sleep 1; done";

    private Manifest() {
    }

    /** One busybox module running {@link #LOOP} with host networking. */
    static String single(String module, String image, String restartPolicy) {
        return of(member(module, image, restartPolicy));
    }

    /** The JSON member {@code "<module>": {...}} of a busybox module running {@link #LOOP}, host networking. */
    static String member(String module, String image, String restartPolicy) {
        return "\"" + module + "\": " + module(image, restartPolicy);
    }

    /** A module's JSON object: {@code image} running {@link #LOOP} with host networking, pull policy never. */
    static String module(String image, String restartPolicy) {
        return "{\"version\": \"1.0\", \"type\": \"docker\", \"status\": \"running\","
                + " \"restartPolicy\": \"" + restartPolicy + "\", \"imagePullPolicy\": \"never\","
                + " \"settings\": {\"image\": \"" + image + "\", \"createOptions\":"
                + " \"{\\\"Cmd\\\":[\\\"sh\\\",\\\"-c\\\",\\\"" + LOOP + "\\\"],"
                + "\\\"HostConfig\\\":{\\\"NetworkMode\\\":\\\"host\\\"}}\"}}";
    }

    /** A manifest with the given module entries (comma-separated JSON members; empty: no modules). */
    static String of(String modules) {
        return of(modules, "{}");
    }

    /** A manifest with the given module entries and {@code $edgeHub} routes (a JSON object). */
    static String of(String modules, String routes) {
        return """
                {"modulesContent": {
                  "$edgeAgent": {"properties.desired": {
                    "schemaVersion": "1.1",
                    "runtime": {"type": "docker", "settings": {"minDockerVersion": "v1.25"}},
                    "systemModules": {
                      "edgeAgent": {"type": "docker", "settings": {"image": "outpost/agent:1", "createOptions": "{}"}},
                      "edgeHub": {"type": "docker", "status": "running", "restartPolicy": "always",
                                  "settings": {"image": "outpost/hub:1", "createOptions": "{}"}}},
                    "modules": {%s}}},
                  "$edgeHub": {"properties.desired": {"schemaVersion": "1.1", "routes": %s,
                    "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}}
                """.formatted(modules, routes);
    }
}
