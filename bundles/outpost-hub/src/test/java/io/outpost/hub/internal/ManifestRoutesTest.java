package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.deployment.DesiredState;
import io.outpost.hub.RouteDefinition;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManifestRoutesTest {

    static byte[] manifest(String name) throws Exception {
        try (InputStream in = ManifestRoutesTest.class.getResourceAsStream("/manifests/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void givenEdgeHubRoutes_whenRead_thenPrioritiesTtlsAndGlobalTtlAreKept() throws Exception {
        ManifestRoutes routes = ManifestRoutes.of(DesiredState.ofContent(manifest("routes-only.json"), "test"))
                .orElseThrow();

        assertThat(routes.globalTtl()).contains(Duration.ofSeconds(3600));
        assertThat(routes.routes()).extracting(RouteDefinition::name, RouteDefinition::priority,
                RouteDefinition::ttlSecs, RouteDefinition::origin).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alarms", 0, 86400L, "deployment"),
                org.assertj.core.groups.Tuple.tuple("telemetry", 9, 3600L, "deployment"),
                org.assertj.core.groups.Tuple.tuple("to-filter", 5, 3600L, "deployment"));
    }

    @Test
    void givenManifestThatDoesNotParse_whenRead_thenEmpty() {
        assertThat(ManifestRoutes.of(DesiredState.ofContent("{}".getBytes(), "test"))).isEmpty();
    }
}
