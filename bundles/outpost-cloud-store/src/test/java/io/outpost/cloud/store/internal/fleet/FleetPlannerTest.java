package io.outpost.cloud.store.internal.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.store.internal.condition.TwinView;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.cloud.store.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FleetPlannerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static CompiledDeployment deployment(String id, String content, String condition, int priority,
            long createdSecs, boolean layered) {
        return CompiledDeployment.of(new FleetDeployment(id, content, condition, priority, new TreeMap<>(Map.of()),
                T0.plusSeconds(createdSecs), layered));
    }

    private static TwinView twin(String id, String tags) {
        return new TwinView(id, Json.parseObject(tags, "tags"), Json.object());
    }

    private static JsonNode content(FleetPlanner.Plan plan) {
        return Json.parseObject(plan.configuration().modulesContent(), "content");
    }

    @Test
    void givenTwoMatchingBases_whenPlanned_thenHighestPriorityIsTheBase() {
        List<CompiledDeployment> all = List.of(
                deployment("low", Fixtures.BASE, "tags.site = 'A'", 10, 5, false),
                deployment("high", Fixtures.BASE_V2, "tags.site = 'A'", 20, 0, false));

        FleetPlanner.Plan plan = FleetPlanner.plan(all, twin("gw-a", "{\"site\": \"A\"}"));

        assertThat(plan.configuration().base()).contains("high");
        assertThat(plan.targeted()).extracting(CompiledDeployment::id).containsExactly("low", "high");
        assertThat(content(plan).at("/$edgeAgent/properties.desired/modules/sensor/settings/image").asText())
                .isEqualTo("sensor:2");
    }

    @Test
    void givenEqualPriorities_whenPlanned_thenTheNewestIsTheBase() {
        List<CompiledDeployment> all = List.of(
                deployment("older", Fixtures.BASE, "tags.site = 'A'", 10, 0, false),
                deployment("newer", Fixtures.BASE_V2, "tags.site = 'A'", 10, 60, false));

        assertThat(FleetPlanner.plan(all, twin("gw-a", "{\"site\": \"A\"}")).configuration().base()).contains("newer");
    }

    @Test
    void givenNoMatchingDeployment_whenPlanned_thenNothingApplies() {
        List<CompiledDeployment> all = List.of(deployment("a", Fixtures.BASE, "tags.site = 'A'", 10, 0, false));

        FleetPlanner.Plan plan = FleetPlanner.plan(all, twin("gw-b", "{\"site\": \"B\"}"));

        assertThat(plan.targeted()).isEmpty();
        assertThat(plan.configuration().base()).isEmpty();
        assertThat(plan.configuration().modulesContent()).isEqualTo("{}");
    }

    @Test
    void givenLayerOnABase_whenPlanned_thenLayerPathsAreMergedIntoTheBase() {
        List<CompiledDeployment> all = List.of(
                deployment("base", Fixtures.BASE, "tags.site = 'A'", 10, 0, false),
                deployment("filter", Fixtures.LAYER, "tags.filter = true", 5, 0, true));

        FleetPlanner.Plan plan = FleetPlanner.plan(all, twin("gw-a", "{\"site\": \"A\", \"filter\": true}"));

        JsonNode merged = content(plan);
        assertThat(plan.configuration().layers()).containsExactly("filter");
        assertThat(merged.at("/$edgeAgent/properties.desired/modules").fieldNames())
                .toIterable().containsExactlyInAnyOrder("sensor", "filter");
        assertThat(merged.at("/$edgeHub/properties.desired/routes").fieldNames())
                .toIterable().containsExactlyInAnyOrder("up", "filterUp");
        assertThat(merged.at("/filter/properties.desired/threshold").asInt()).isEqualTo(30);
        assertThat(merged.at("/sensor/properties.desired/interval").asInt()).isEqualTo(5);
    }

    @Test
    void givenTwoLayersOnOnePath_whenPlanned_thenTheHigherPriorityLayerWins() {
        List<CompiledDeployment> all = List.of(
                deployment("base", Fixtures.BASE, "tags.site = 'A'", 10, 0, false),
                deployment("override", Fixtures.LAYER_OVERRIDE, "tags.site = 'A'", 9, 0, true),
                deployment("filter", Fixtures.LAYER, "tags.site = 'A'", 1, 60, true));

        FleetPlanner.Plan plan = FleetPlanner.plan(all, twin("gw-a", "{\"site\": \"A\"}"));

        assertThat(plan.configuration().layers()).containsExactly("filter", "override");
        assertThat(content(plan).at("/$edgeAgent/properties.desired/modules/filter/settings/image").asText())
                .isEqualTo("filter:9");
        assertThat(content(plan).at("/filter/properties.desired/threshold").asInt()).isEqualTo(99);
    }

    @Test
    void givenLayerWithoutABase_whenPlanned_thenTheLayerIsTargetedButNotApplied() {
        List<CompiledDeployment> all = List.of(deployment("filter", Fixtures.LAYER, "tags.site = 'A'", 1, 0, true));

        FleetPlanner.Plan plan = FleetPlanner.plan(all, twin("gw-a", "{\"site\": \"A\"}"));

        assertThat(plan.targets("filter")).isTrue();
        assertThat(plan.configuration().includes("filter")).isFalse();
        assertThat(plan.configuration().layers()).isEmpty();
    }
}
