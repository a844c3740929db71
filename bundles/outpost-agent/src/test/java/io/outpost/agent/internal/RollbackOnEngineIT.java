package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.looping;
import static io.outpost.agent.internal.ItManifest.Module.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.RuntimeStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A new deployment whose module cannot run is rolled back within the window; the old modules keep running. */
class RollbackOnEngineIT extends AgentItBase {

    @Override
    Duration rollbackWindow() {
        return Duration.ofSeconds(6);
    }

    @Test
    void givenGoodDeployment_whenNextOneNamesAnImageThatDoesNotExist_thenRolledBackAndOldModulesKeepRunning() {
        ItManifest.Module missing = looping(module("b"), 1).withImage("outpost-it/no-such-image:404", "never");

        String why = rollBackTo(missing);

        assertThat(why).contains("outpost-it/no-such-image:404");
    }

    @Test
    void givenGoodDeployment_whenNextOnesModuleExitsAtOnce_thenRolledBackAndItsContainerRemoved() {
        String why = rollBackTo(running(module("b"), "exit 7", "on-failure"));

        assertThat(why).contains("exited with code 7");
    }

    /** Deploys v1 (one looping module), then v2 adding {@code failing}; returns the reported rollback text. */
    private String rollBackTo(ItManifest.Module failing) {
        agent.apply("v1", ItManifest.of(looping(module("a"), 0)).bytes());
        awaitConverged("v1");
        String a = containerId(module("a"));

        DeploymentStatus accepted = agent.apply("v2", ItManifest.of(looping(module("a"), 0), failing).bytes());
        assertThat(accepted.code()).isEqualTo(200);
        assertThat(accepted.converged()).as("v2 cannot be converged before its module " + failing.name() + " ran")
                .isFalse();

        DeploymentStatus s = awaitStatus("rolled back to v1", st -> st.runningVersion().orElse("").equals("v1")
                && st.modules().size() == 1 && st.modules().get(0).runtimeStatus() == RuntimeStatus.RUNNING
                && EngineItSupport.inspect(failing.name(), "{{.Id}}").isEmpty());

        assertThat(s.lastDesiredVersion()).isEqualTo("v2");
        assertThat(s.code()).isEqualTo(500);
        assertThat(s.description()).contains("deployment v2 rolled back to v1").contains("module " + failing.name());
        assertThat(containerId(module("a"))).isEqualTo(a);
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(1);
        return s.description();
    }
}
