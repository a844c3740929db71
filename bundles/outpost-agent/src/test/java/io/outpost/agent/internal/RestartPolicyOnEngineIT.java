package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerState;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import org.junit.jupiter.api.Test;

/** edgeAgent's restart rules acted on for real containers: on-failure with back-off, never, on-unhealthy. */
class RestartPolicyOnEngineIT extends AgentItBase {

    /** Docker's Healthcheck in nanoseconds: a check every second that always fails. */
    private static final String FAILING_HEALTHCHECK = "{\"Cmd\":[\"sh\",\"-c\",\"" + EngineItSupport.LOOP + "\"],"
            + "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"exit 1\"],\"Interval\":1000000000,"
            + "\"Timeout\":1000000000,\"Retries\":1}}";

    @Test
    void givenOnFailure_whenModuleExitsNonZero_thenRestartedWithBackoffAndCountGrows() {
        String m = module("crash");
        agent.apply("v1", ItManifest.of(running(m, "sleep 1; exit 3", "on-failure")).bytes());
        awaitModule(m, s -> s.restartCount() >= 1);
        String id = containerId(m);

        ModuleStatus third = awaitModule(m, s -> s.restartCount() >= 3);

        assertThat(seen(m, RuntimeStatus.BACKOFF)).as("backoff between restarts").isTrue();
        assertThat(third.lastRestartTime()).isPresent();
        assertThat(third.restartPolicy()).isEqualTo("on-failure");
        ModuleStatus backoff = awaitModule(m, s -> s.runtimeStatus() == RuntimeStatus.BACKOFF);
        assertThat(backoff.statusDescription()).contains("exited with code 3");
        assertThat(backoff.exitCode()).as("the exit code while it waits (0 again once restarted)").isEqualTo(3);
        assertThat(containerId(m)).as("restarted, not recreated").isEqualTo(id);
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(1);
        assertThat(agent.status().converged()).isFalse();
    }

    @Test
    void givenNever_whenModuleExitsNonZero_thenItStaysExitedAndFailed() {
        String m = module("once");
        agent.apply("v1", ItManifest.of(running(m, "exit 2", "never")).bytes());
        ModuleStatus failed = awaitModule(m, s -> s.runtimeStatus() == RuntimeStatus.FAILED);
        ContainerInfo exited = container(m).orElseThrow();

        awaitPasses(4);

        ModuleStatus later = agent.status().module(m).orElseThrow();
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.statusDescription()).contains("exited with code 2").contains("never");
        assertThat(later.runtimeStatus()).isEqualTo(RuntimeStatus.FAILED);
        assertThat(later.restartCount()).isZero();
        ContainerInfo still = container(m).orElseThrow();
        assertThat(still.id()).isEqualTo(exited.id());
        assertThat(still.state()).isEqualTo(ContainerState.EXITED);
        assertThat(still.startedAt()).isEqualTo(exited.startedAt());
    }

    @Test
    void givenOnUnhealthy_whenHealthcheckFails_thenModuleIsRestarted() {
        String m = module("sick");
        agent.apply("v1", ItManifest.of(running(m, "true", "on-unhealthy").withCreateOptions(FAILING_HEALTHCHECK))
                .bytes());

        ModuleStatus restarted = awaitModule(m, s -> s.restartCount() >= 2);

        assertThat(seen(m, RuntimeStatus.UNHEALTHY)).as("reported unhealthy before a restart").isTrue();
        assertThat(restarted.lastRestartTime()).isPresent();
        assertThat(container(m).orElseThrow().startedAt()).isPresent();
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(1);
    }
}
