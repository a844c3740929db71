package io.outpost.cloud.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI description and the implemented routes describe the same API, in both directions. */
class OpenApiTest {

    @TempDir
    Path dir;

    static JsonNode openapi() throws Exception {
        try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream(ApiServlet.OPENAPI)) {
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "");
        }
    }

    @Test
    void givenRoutes_whenComparedWithOpenApi_thenEveryRouteIsDescribedWithItsScopeAndNothingElse() throws Exception {
        JsonNode doc = openapi();
        TreeSet<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (p.getKey().equals("/openapi.json")) {
                continue;
            }
            p.getValue().fieldNames().forEachRemaining(m -> described.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey()));
        }
        TreeSet<String> implemented = new TreeSet<>();
        List<String> wrongScope = new ArrayList<>();
        try (CloudServer cloud = new CloudServer(dir)) {
            CloudApi api = new CloudApi(cloud.store.registry(), cloud.store.twins(), cloud.store.deployments(),
                    cloud.store.telemetry());
            for (Route r : api.routes()) {
                implemented.add(r.method() + " " + r.template());
                JsonNode op = doc.path("paths").path(r.template()).path(r.method().toLowerCase(Locale.ROOT));
                if (!op.path("x-outpost-scope").asText().equals(r.scope().wireName())) {
                    wrongScope.add(r.method() + " " + r.template() + " is " + r.scope().wireName());
                }
                for (String param : r.segments()) {
                    if (param.startsWith("{")) {
                        String name = param.substring(1, param.length() - 1);
                        boolean found = false;
                        for (JsonNode p : op.path("parameters")) {
                            found |= p.path("name").asText().equals(name) && p.path("in").asText().equals("path");
                        }
                        assertThat(found).as("%s %s describes path parameter %s", r.method(), r.template(), name).isTrue();
                    }
                }
            }
        }
        assertThat(described).as("operations described in openapi.json").isEqualTo(implemented);
        assertThat(wrongScope).as("x-outpost-scope differs from the route's scope").isEmpty();
    }

    @Test
    void givenOpenApi_whenRead_thenEveryReferenceResolves() throws Exception {
        JsonNode doc = openapi();
        List<String> missing = new ArrayList<>();
        collectRefs(doc, doc, missing);
        assertThat(missing).isEmpty();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.0.3");
    }

    private static void collectRefs(JsonNode root, JsonNode node, List<String> missing) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && root.at(ref.asText().substring(1)).isMissingNode()) {
                missing.add(ref.asText());
            }
            node.elements().forEachRemaining(n -> collectRefs(root, n, missing));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(n -> collectRefs(root, n, missing));
        }
    }
}
