package io.outpost.agent.internal;

import static org.awaitility.Awaitility.await;

import io.outpost.container.ContainerEngine;
import io.outpost.container.ContainerInfo;
import io.outpost.container.docker.testing.DockerEngineFixture;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the agent's integration tests: each test gets its own device id (so nothing else on the engine
 * is touched), its own data folder and module names, and an {@link AgentLoop} on the real engine; after the
 * test the loop stops and every container of the device is removed.
 */
abstract class AgentItBase {

    static final Duration CONVERGE = Duration.ofMinutes(2);
    static final Duration NO_ROLLBACK = Duration.ofMinutes(10);

    static DockerEngineFixture docker;
    static ContainerEngine engine;

    @TempDir
    Path dataDir;

    String device;
    String prefix;
    AgentLoop agent;
    /** Every (module, runtime status) pair seen by {@link #awaitModule}, to tell which states a module went through. */
    final Set<String> seen = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void engineAndImage() throws Exception {
        docker = EngineItSupport.engine();
        engine = docker.engine();
        EngineItSupport.ensureTestImage();
    }

    @AfterAll
    static void closeEngine() {
        if (docker != null) {
            docker.close();
        }
    }

    @BeforeEach
    void newDevice() {
        device = EngineItSupport.unique("device");
        prefix = EngineItSupport.unique("m");
        agent = new AgentLoop(AgentLoop.settings(device, dataDir, rollbackWindow()), engine);
    }

    @AfterEach
    void removeDevice() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        EngineItSupport.removeDeviceContainers(device);
    }

    /** How long a new deployment may take to converge before it is rolled back. */
    Duration rollbackWindow() {
        return NO_ROLLBACK;
    }

    /** A module name unique to this test (module names are container names on the engine). */
    String module(String what) {
        return prefix + "-" + what;
    }

    DeploymentStatus awaitStatus(String what, Predicate<DeploymentStatus> condition) {
        return await(what).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .until(this::observedStatus, condition);
    }

    DeploymentStatus awaitConverged(String version) {
        return awaitStatus("deployment " + version + " converged",
                s -> s.converged() && s.runningVersion().orElse("").equals(version));
    }

    ModuleStatus awaitModule(String module, Predicate<ModuleStatus> condition) {
        return await("module " + module).atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
                .until(() -> observedStatus().module(module).orElse(null), m -> m != null && condition.test(m));
    }

    /** Waits until the agent has completed {@code count} more passes. */
    void awaitPasses(int count) {
        long target = agent.passes() + count;
        await("" + count + " more reconcile passes").atMost(CONVERGE).until(() -> agent.passes() >= target);
    }

    /** Whether the module was seen in this status: by a wait of the test, or in the status a pass left. */
    boolean seen(String module, RuntimeStatus status) {
        return seen.contains(module + "=" + status.wireName()) || agent.reported(module, status);
    }

    Optional<ContainerInfo> container(String module) {
        return engine.inspect(module);
    }

    String containerId(String module) {
        return container(module).map(ContainerInfo::id).orElse("");
    }

    private DeploymentStatus observedStatus() {
        DeploymentStatus s = agent.status();
        s.modules().forEach(m -> seen.add(m.name() + "=" + m.runtimeStatus().wireName()));
        return s;
    }
}
