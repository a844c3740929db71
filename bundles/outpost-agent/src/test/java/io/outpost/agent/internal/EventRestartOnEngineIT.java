package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.looping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.container.ContainerEngine;
import io.outpost.container.docker.testing.DockerEngineFixture;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.testing.DockerCli;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deaths seen through the engine's event stream: with a reconcile interval of ten minutes, only the event
 * path can bring a killed module back within the tests' generous bounds (the stream-cut test fails without it). The stream's failure is produced for
 * real, by cutting the connections of a relay in front of the engine's socket.
 */
class EventRestartOnEngineIT extends AgentItBase {

    /** Far longer than any wait below: a restart seen within it was not the periodic poll's doing. */
    private static final Duration LONG_POLL = Duration.ofMinutes(10);
    private static final Duration RESTARTED = Duration.ofSeconds(60);

    @Test
    void givenEventStreamCut_whenModuleContainerKilled_thenStreamResumedAndModuleRestarted() throws Exception {
        Path socket = Path.of(EngineItSupport.DOCKER_HOST.replaceFirst("^unix://", ""));
        try (SocketRelay relay = new SocketRelay(dataDir.resolve("relay.sock"), socket);
                DockerEngineFixture relayed = EngineItSupport.engine("unix://" + relay.path())) {
            longPollAgent(relayed.engine());
            String m = module("cut");
            agent.apply("v1", ItManifest.of(looping(m, 0)).bytes());
            String firstStart = awaitSettled(m);

            relay.cut();
            assertThat(DockerCli.docker("kill", m).exitCode()).isZero();

            assertThat(awaitRunning(m, firstStart)).isNotEqualTo(firstStart);
            ModuleStatus restarted = awaitModule(m, s -> s.restartCount() == 1);
            assertThat(restarted.lastRestartTime()).as("counted as a restart, Azure's rules").isPresent();
            assertThat(EngineItSupport.deviceContainers(device)).as("restarted, not recreated").hasSize(1);
            agent.close();
            agent = null;
        }
    }

    @Test
    void givenModuleUpdated_whenAgentStopsTheOldContainer_thenItsEventsCauseNoRestart() {
        String m = module("updated");
        agent.apply("v1", ItManifest.of(looping(m, 0)).bytes());
        awaitConverged("v1");
        String oldId = containerId(m);

        agent.apply("v2", ItManifest.of(looping(m, 0).withEnv("2")).bytes());
        awaitConverged("v2");
        String newId = containerId(m);
        String started = EngineItSupport.inspect(m, "{{.State.StartedAt}}");
        awaitPasses(3);

        assertThat(newId).isNotEqualTo(oldId);
        assertThat(containerId(m)).isEqualTo(newId);
        assertThat(EngineItSupport.inspect(m, "{{.State.StartedAt}}")).as("started once").isEqualTo(started);
        assertThat(agent.status().module(m).orElseThrow().restartCount()).isZero();
        assertThat(EngineItSupport.deviceContainers(device)).hasSize(1);
    }

    private void longPollAgent(ContainerEngine on) throws InterruptedException {
        agent.close();
        agent = new AgentLoop(AgentLoop.settings(device, dataDir, NO_ROLLBACK, LONG_POLL), on);
    }

    /**
     * Waits until the agent reported the module running: the pass that started it was followed by the pass that
     * saw it run and changed nothing, after which the agent plans no pass before the long poll.
     */
    private String awaitSettled(String m) {
        String started = awaitRunning(m, "");
        awaitModule(m, s -> s.runtimeStatus() == RuntimeStatus.RUNNING);
        return started;
    }

    /** Waits until the module's container runs with a start time other than {@code notStartedAt}; returns it. */
    private String awaitRunning(String m, String notStartedAt) {
        return await("container " + m + " running, started after " + notStartedAt).atMost(RESTARTED)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> EngineItSupport.inspect(m, "{{.State.Running}} {{.State.StartedAt}}"),
                        s -> s.startsWith("true ") && !s.equals("true " + notStartedAt))
                .substring("true ".length());
    }
}
