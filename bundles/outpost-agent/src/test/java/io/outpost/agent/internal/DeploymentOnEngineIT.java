package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.looping;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerState;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.RuntimeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deployments reconciled on the real engine: start order, labels, updates, removals, a restart of the agent. */
class DeploymentOnEngineIT extends AgentItBase {

    private ItManifest threeModules() {
        return ItManifest.of(looping(module("c"), 2), looping(module("a"), 0), looping(module("b"), 1));
    }

    @Test
    void givenThreeModulesWithStartupOrders_whenDeployed_thenTheyStartInThatOrderWithOutpostLabels() {
        agent.apply("v1", threeModules().bytes());

        DeploymentStatus s = awaitConverged("v1");

        assertThat(s.code()).isEqualTo(200);
        assertThat(s.modules()).extracting(m -> m.runtimeStatus()).containsOnly(RuntimeStatus.RUNNING);
        Instant a = started(module("a"));
        Instant b = started(module("b"));
        Instant c = started(module("c"));
        assertThat(a).isBefore(b);
        assertThat(b).isBefore(c);
        for (String m : List.of(module("a"), module("b"), module("c"))) {
            Map<String, String> labels = container(m).orElseThrow().labels();
            assertThat(labels).containsEntry(ContainerLabels.MANAGED, "true")
                    .containsEntry(ContainerLabels.DEVICE, device).containsEntry(ContainerLabels.MODULE, m)
                    .containsEntry(ContainerLabels.DEPLOYMENT_VERSION, "v1").containsKey(ContainerLabels.CONFIG_HASH);
            assertThat(EngineItSupport.inspect(m, "{{.HostConfig.NetworkMode}}")).isEqualTo("host");
        }
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(3);
    }

    @Test
    void givenRunningDeployment_whenOneModulesEnvChanges_thenOnlyThatModuleIsRecreated() {
        agent.apply("v1", threeModules().bytes());
        awaitConverged("v1");
        String a = containerId(module("a"));
        String b = containerId(module("b"));
        String c = containerId(module("c"));

        agent.apply("v2", ItManifest.of(looping(module("c"), 2), looping(module("a"), 0),
                looping(module("b"), 1).withEnv("2")).bytes());
        awaitConverged("v2");

        assertThat(containerId(module("b"))).isNotEqualTo(b).isNotEmpty();
        assertThat(EngineItSupport.inspect(module("b"), "{{json .Config.Env}}")).contains("MODE=2");
        assertThat(containerId(module("a"))).isEqualTo(a);
        assertThat(containerId(module("c"))).isEqualTo(c);
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(3);
    }

    @Test
    void givenRunningDeployment_whenAModuleIsNoLongerDesired_thenItsContainerIsRemoved() {
        agent.apply("v1", threeModules().bytes());
        awaitConverged("v1");
        String a = containerId(module("a"));

        agent.apply("v2", ItManifest.of(looping(module("a"), 0), looping(module("b"), 1)).bytes());
        awaitConverged("v2");

        assertThat(container(module("c"))).isEmpty();
        assertThat(EngineItSupport.inspect(module("c"), "{{.Id}}")).isEmpty();
        assertThat(containerId(module("a"))).isEqualTo(a);
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(2);
    }

    @Test
    void givenRunningModules_whenTheAgentRestartsOnTheSameDataDir_thenModulesKeepRunningAndNothingIsDuplicated()
            throws Exception {
        agent.apply("v1", ItManifest.of(looping(module("a"), 0), looping(module("b"), 1)).bytes());
        awaitConverged("v1");
        ContainerInfo a = container(module("a")).orElseThrow();
        ContainerInfo b = container(module("b")).orElseThrow();
        agent.close();

        agent = new AgentLoop(AgentLoop.settings(device, dataDir, NO_ROLLBACK), engine);
        awaitPasses(3);

        DeploymentStatus s = awaitConverged("v1");
        assertThat(s.lastDesiredVersion()).isEqualTo("v1");
        assertThat(container(module("a")).orElseThrow()).satisfies(i -> {
            assertThat(i.id()).isEqualTo(a.id());
            assertThat(i.startedAt()).isEqualTo(a.startedAt());
            assertThat(i.state()).isEqualTo(ContainerState.RUNNING);
        });
        assertThat(container(module("b")).orElseThrow().id()).isEqualTo(b.id());
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(2);
    }

    private Instant started(String module) {
        return container(module).flatMap(ContainerInfo::startedAt).orElseThrow();
    }
}
