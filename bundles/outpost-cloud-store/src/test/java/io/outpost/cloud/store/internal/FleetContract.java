package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.DeviceDeploymentState;
import io.outpost.cloud.DeviceDeploymentStatus;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.cloud.store.testing.Fixtures;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fleet deployments over the store; subclasses run it on H2 and on PostgreSQL. */
abstract class FleetContract extends StoreTestBase {

    @BeforeEach
    void twoDevices() {
        store.registry().create("gw-a", KEYS, "{\"site\": \"A\"}");
        store.registry().create("gw-b", KEYS, "{\"site\": \"B\"}");
    }

    private FleetDeployment create(String id, String content, String condition, int priority, boolean layered) {
        clock.advance(Duration.ofSeconds(1));
        return store.deployments().create(FleetDeployment.of(id, content, condition, priority, Map.of("team", "ops"),
                layered));
    }

    private Twin twin(String device, String module) {
        return store.twins().get(TwinId.module(device, module)).orElseThrow();
    }

    private JsonNode desired(String device, String module) {
        return Json.parseObject(twin(device, module).desired(), "desired");
    }

    /** What a device's agent reports after applying the desired version: a code and each module's status. */
    private void report(String device, int code, String runtimeStatus) {
        long version = twin(device, "$edgeAgent").desiredVersion();
        String modules = "{\"sensor\": {\"runtimeStatus\": \"" + runtimeStatus + "\"}, \"filter\": {\"runtimeStatus\": \""
                + runtimeStatus + "\"}}";
        store.twins().update(TwinId.module(device, "$edgeAgent"), TwinPatch.merge(TwinSection.REPORTED,
                "{\"lastDesiredVersion\": " + version + ", \"lastDesiredStatus\": {\"code\": " + code
                        + ", \"description\": \"" + (code == 200 ? "" : "module failed") + "\"}, \"modules\": "
                        + modules + "}"));
    }

    @Test
    void givenDeploymentForSiteA_whenCreated_thenOnlyTheTaggedDeviceGetsItsTwins() {
        FleetDeployment d = create("site-a", Fixtures.BASE, "tags.site = 'A'", 10, false);

        assertThat(d.createdAt()).isEqualTo(clock.now());
        assertThat(d.labels()).containsEntry("team", "ops");
        assertThat(desired("gw-a", "$edgeAgent").at("/modules/sensor/settings/image").asText()).isEqualTo("sensor:1");
        assertThat(desired("gw-a", "$edgeHub").at("/routes/up").asText()).isEqualTo("FROM /messages/* INTO $upstream");
        assertThat(desired("gw-a", "sensor").get("interval").asInt()).isEqualTo(5);
        assertThat(store.twins().moduleTwins("gw-b")).isEmpty();
        assertThat(store.deployments().metrics("site-a")).isEqualTo(new DeploymentMetrics(1, 1, 0, 0));
        assertThat(store.deployments().deviceStatuses("site-a")).extracting(DeviceDeploymentStatus::state)
                .containsExactly(DeviceDeploymentState.PENDING);
    }

    @Test
    void givenDeviceReports_whenCounted_thenSuccessNeedsVersionCode200AndRunningModules() {
        create("site-a", Fixtures.BASE, "tags.site = 'A'", 10, false);

        report("gw-a", 200, "backoff");
        assertThat(store.deployments().metrics("site-a")).isEqualTo(new DeploymentMetrics(1, 1, 0, 0));
        assertThat(store.deployments().deviceStatuses("site-a").get(0).detail())
                .isEqualTo("module sensor is backoff, desired running");

        report("gw-a", 200, "running");
        assertThat(store.deployments().metrics("site-a")).isEqualTo(new DeploymentMetrics(1, 1, 1, 0));

        report("gw-a", 500, "failed");
        assertThat(store.deployments().metrics("site-a")).isEqualTo(new DeploymentMetrics(1, 1, 0, 1));
        assertThat(store.deployments().deviceStatuses("site-a").get(0).detail()).isEqualTo("code 500: module failed");
    }

    @Test
    void givenReportForAnOlderVersion_whenANewDeploymentWins_thenTheDeviceIsPendingAgain() {
        create("site-a", Fixtures.BASE, "tags.site = 'A'", 10, false);
        report("gw-a", 200, "running");

        create("site-a-v2", Fixtures.BASE_V2, "tags.site = 'A'", 20, false);

        assertThat(store.deployments().metrics("site-a")).isEqualTo(new DeploymentMetrics(1, 0, 0, 0));
        assertThat(store.deployments().metrics("site-a-v2")).isEqualTo(new DeploymentMetrics(1, 1, 0, 0));
        assertThat(store.deployments().deviceStatuses("site-a")).extracting(DeviceDeploymentStatus::state,
                DeviceDeploymentStatus::detail).containsExactly(org.assertj.core.groups.Tuple.tuple(
                        DeviceDeploymentState.TARGETED, "applied instead: site-a-v2"));
        assertThat(desired("gw-a", "$edgeAgent").at("/modules/sensor/settings/image").asText()).isEqualTo("sensor:2");
    }

    @Test
    void givenLayeredDeployment_whenCreated_thenItAddsAModuleOnTopAndBothCountTheDevice() {
        create("base", Fixtures.BASE, "IS_DEFINED(tags.site)", 10, false);
        create("filter", Fixtures.LAYER, "tags.site = 'A'", 50, true);

        assertThat(desired("gw-a", "$edgeAgent").at("/modules").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("sensor", "filter");
        assertThat(desired("gw-a", "$edgeHub").at("/routes").size()).isEqualTo(2);
        assertThat(desired("gw-a", "filter").get("threshold").asInt()).isEqualTo(30);
        assertThat(desired("gw-b", "$edgeAgent").at("/modules").fieldNames()).toIterable().containsExactly("sensor");
        assertThat(store.deployments().configurationFor("gw-a").layers()).containsExactly("filter");

        report("gw-a", 200, "running");
        assertThat(store.deployments().metrics("base")).isEqualTo(new DeploymentMetrics(2, 2, 1, 0));
        assertThat(store.deployments().metrics("filter")).isEqualTo(new DeploymentMetrics(1, 1, 1, 0));
    }

    @Test
    void givenTagChange_whenApplied_thenTheDeviceMovesToTheOtherDeployment() {
        create("site-a", Fixtures.BASE, "tags.site = 'A'", 10, false);
        create("site-b", Fixtures.BASE_V2, "tags.site = 'B'", 10, false);
        long before = twin("gw-a", "$edgeAgent").desiredVersion();

        store.twins().update(TwinId.device("gw-a"), TwinPatch.merge(TwinSection.TAGS, "{\"site\": \"B\"}"));
        assertThat(store.deployments().applyAll()).isEqualTo(1);
        assertThat(store.deployments().applyAll()).isZero();

        assertThat(twin("gw-a", "$edgeAgent").desiredVersion()).isEqualTo(before + 1);
        assertThat(store.deployments().metrics("site-a").targetedCount()).isZero();
        assertThat(store.deployments().metrics("site-b")).isEqualTo(new DeploymentMetrics(2, 2, 0, 0));
    }

    @Test
    void givenDeploymentWithInvalidContentOrCondition_whenCreated_thenRefusedAndNotStored() {
        var content = thrown(CloudErrorCode.DEPLOYMENT_INVALID, () -> create("bad", Fixtures.BASE.replace(
                "\"version\": \"1.0\", \"type\": \"docker\", \"status\": \"running\"",
                "\"version\": \"1.0\", \"type\": \"docker\", \"status\": \"paused\""),
                "tags.site = 'A'", 1, false));
        var condition = thrown(CloudErrorCode.CONDITION_SYNTAX,
                () -> create("bad", Fixtures.BASE, "tags.site = 'A' AND", 1, false));

        assertThat(content.getMessage()).contains("error: /modulesContent/$edgeAgent/properties.desired/modules/sensor/status");
        assertThat(((TargetConditionException) condition).column()).isEqualTo(20);
        assertThat(store.deployments().list()).isEmpty();
        assertThat(store.twins().moduleTwins("gw-a")).isEmpty();
    }

    @Test
    void givenTwinContentOver32KiB_whenCreatedAsBaseOrAsLayer_thenTheBaseIsRefusedAndTheLayerSkipsOnlyThatDevice() {
        String big = "\"big\": \"" + "x".repeat(33_000) + "\"";
        var refused = thrown(CloudErrorCode.DEPLOYMENT_INVALID, () -> create("big", Fixtures.withSection(Fixtures.SITE,
                "\"sensor\": {\"properties.desired\": {" + big + "}}"), "tags.site = 'A'", 1, false));
        assertThat(refused.getMessage()).contains("modulesContent.sensor").contains("32768 bytes");
        assertThat(store.deployments().list()).isEmpty();

        create("site-a", Fixtures.BASE, "tags.site = 'A'", 1, false);
        create("site-b", Fixtures.BASE, "tags.site = 'B'", 1, false);
        create("huge", "{\"sensor\": {\"properties.desired.big\": \"" + "x".repeat(33_000) + "\"}}",
                "tags.site = 'A'", 5, true);

        assertThat(desired("gw-a", "sensor").has("big")).as("the twin keeps what it had").isFalse();
        assertThat(desired("gw-a", "sensor").get("interval").asInt()).isEqualTo(5);
        assertThat(store.twins().moduleTwins("gw-b")).as("other devices are still applied").isNotEmpty();
    }

    @Test
    void givenDeployments_whenListedDeletedAndReopened_thenTheyArePersisted() {
        create("site-a", Fixtures.BASE, "tags.site = 'A'", 10, false);
        create("filter", Fixtures.LAYER, "tags.site = 'A'", 5, true);
        thrown(CloudErrorCode.ALREADY_EXISTS, () -> create("site-a", Fixtures.BASE, "tags.site = 'B'", 1, false));

        assertThat(store.deployments().delete("filter")).isTrue();
        assertThat(store.deployments().delete("filter")).isFalse();
        store.close();
        store = CloudStore.open(settings, clock);

        assertThat(store.deployments().list()).extracting(FleetDeployment::id).containsExactly("site-a");
        assertThat(store.deployments().get("site-a").orElseThrow().targetCondition()).isEqualTo("tags.site = 'A'");
        assertThat(desired("gw-a", "$edgeAgent").at("/modules").fieldNames()).toIterable().containsExactly("sensor");
        thrown(CloudErrorCode.NOT_FOUND, () -> store.deployments().metrics("filter"));
    }
}
