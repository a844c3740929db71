package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.looping;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.container.ContainerLabels;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.testing.DockerCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A container that Outpost did not create is never touched, even when a module wants its name. */
class UnmanagedContainerIT extends AgentItBase {

    private String unmanaged;

    @AfterEach
    void removeUnmanaged() {
        if (unmanaged != null) {
            DockerCli.docker("rm", "-f", unmanaged);
        }
    }

    @Test
    void givenUnmanagedContainer_whenDeploymentsComeAndGo_thenItIsNeverTouched() {
        unmanaged = module("theirs");
        // it even carries this device's label, but not io.outpost.managed=true
        DockerCli.docker("run", "-d", "--name", unmanaged, "--network", "host",
                "--label", ContainerLabels.DEVICE + "=" + device, EngineItSupport.TEST_IMAGE).assertOk("docker run");
        String id = EngineItSupport.inspect(unmanaged, "{{.Id}}");
        String started = EngineItSupport.inspect(unmanaged, "{{.State.StartedAt}}");

        agent.apply("v1", ItManifest.of(looping(module("ours"), 0), looping(unmanaged, 0)).bytes());
        awaitModule(module("ours"), s -> s.runtimeStatus() == RuntimeStatus.RUNNING);
        ModuleStatus clash = awaitModule(unmanaged, s -> s.runtimeStatus() == RuntimeStatus.BACKOFF
                && !s.statusDescription().isEmpty());
        awaitPasses(3);
        agent.apply("v2", ItManifest.of().bytes());
        awaitConverged("v2");
        awaitPasses(2);

        assertThat(clash.statusDescription()).contains("create " + unmanaged);
        assertThat(container(module("ours"))).isEmpty();
        assertThat(EngineItSupport.inspect(unmanaged, "{{.Id}}")).isEqualTo(id);
        assertThat(EngineItSupport.inspect(unmanaged, "{{.State.Running}}")).isEqualTo("true");
        assertThat(EngineItSupport.inspect(unmanaged, "{{.State.StartedAt}}")).isEqualTo(started);
        assertThat(EngineItSupport.inspect(unmanaged, "{{index .Config.Labels \"" + ContainerLabels.MANAGED + "\"}}"))
                .isIn("", "<no value>");
    }
}
