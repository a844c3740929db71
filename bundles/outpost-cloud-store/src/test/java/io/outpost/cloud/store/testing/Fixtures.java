package io.outpost.cloud.store.testing;

/** Deployment contents shared by the fleet tests of the store and of the bundles that use it (outpost-cloud-store's test-jar). */
public final class Fixtures {

    /** A deployment: runtime, system modules, module {@code sensor} and one route to the cloud; no module twin. */
    public static final String SITE = """
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
               "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}}}""";

    /** A base deployment: {@link #SITE} with the {@code sensor} module twin's desired properties. */
    public static final String BASE = withSection(SITE, "\"sensor\": {\"properties.desired\": {\"interval\": 5}}");

    /** The same base with module {@code sensor} at image {@code sensor:2}. */
    public static final String BASE_V2 = BASE.replace("sensor:1", "sensor:2");

    /** A layer: module {@code filter}, its route and its twin. */
    public static final String LAYER = """
            {"$edgeAgent": {"properties.desired.modules.filter": {"version": "1.0", "type": "docker",
               "status": "running", "restartPolicy": "always", "settings": {"image": "filter:1", "createOptions": ""}}},
             "$edgeHub": {"properties.desired.routes.filterUp": "FROM /messages/modules/filter/* INTO $upstream"},
             "filter": {"properties.desired": {"threshold": 30}}}""";

    /** A layer that changes what {@link #LAYER} sets: the filter's image and threshold. */
    public static final String LAYER_OVERRIDE = """
            {"$edgeAgent": {"properties.desired.modules.filter.settings.image": "filter:9"},
             "filter": {"properties.desired.threshold": 99}}""";

    private Fixtures() {
    }

    /** The deployment content with one more top-level section ({@code "name": {...}}). */
    public static String withSection(String content, String section) {
        return content.substring(0, content.lastIndexOf('}')) + ",\n " + section + "}";
    }
}
