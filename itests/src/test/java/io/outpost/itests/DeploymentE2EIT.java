package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Deployments end to end, as an operator runs them: the installed assembly, bin/outpost deploy and list,
 * a kill -9 of the runtime, and a restart of the Docker engine. The runtime drives an engine of the test's
 * own ({@link PrivateDockerEngine}), so restarting it disturbs nothing else; the device id is unique per run.
 * Every test deploys the same manifest first (a no-op once it runs), so each one stands on its own.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DeploymentE2EIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DEVICE = "e2e-" + RUN;
    private static final String MODULE = "e2e-" + RUN + "-sensor";
    private static final String IMAGE = "outpost/base-busybox:1";
    private static final Duration LONG = Duration.ofMinutes(4);

    private static InstalledAssembly outpost;
    private static PrivateDockerEngine engine;
    private static Path manifest;

    @BeforeClass
    public static void installAndStart() throws IOException {
        Path repo = repoRoot();
        ProcessRunner here = new ProcessRunner(repo.toFile(), Map.of());
        ProcessRunner.Result check = here.run(Duration.ofMinutes(1), "scripts/docker-engine.sh", "--check");
        if (check.exitCode() != 0) {
            fail("no Docker engine answers: start one with scripts/docker-engine.sh; " + check.output());
        }
        here.run(Duration.ofMinutes(5), "scripts/base-images.sh").assertExit(0);
        engine = PrivateDockerEngine.start(IMAGE);
        outpost = InstalledAssembly.install();
        outpost.rewrite("etc/io.outpost.container.docker.cfg", Map.of("dockerHost", engine.host()));
        outpost.rewrite("etc/io.outpost.agent.cfg", Map.of("deviceId", DEVICE, "reconcileIntervalSecs", "2",
                "restartBackoffInitialSecs", "1", "restartBackoffMaxSecs", "4"));
        manifest = outpost.prefix.resolve("e2e-deployment.json");
        Files.writeString(manifest, Manifest.single(MODULE, IMAGE, "always"));
        outpost.outpost(LONG, "start").assertExit(0);
    }

    @AfterClass
    public static void stopAndClean() {
        if (outpost != null) {
            outpost.outpost(Duration.ofMinutes(2), "stop");
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    public void a_givenRuntime_whenBusyboxModuleDeployed_thenItConvergesAndListShowsItRunning() {
        String deployed = deploy();
        assertTrue(deployed, deployed.contains(MODULE));

        assertEquals("running", listedStatus());
        assertEquals(1, deviceContainers().size());
        assertEquals("true", inspect("{{.State.Running}}"));
    }

    @Test
    public void b_givenRunningModule_whenRuntimeKilledAndStartedAgain_thenSameContainerKeepsRunning() {
        deploy();
        String id = inspect("{{.Id}}");
        String started = inspect("{{.State.StartedAt}}");

        outpost.killRuntime();
        outpost.outpost(LONG, "start").assertExit(0);
        awaitListed("running");

        assertEquals(id, inspect("{{.Id}}"));
        assertEquals("not restarted", started, inspect("{{.State.StartedAt}}"));
        assertEquals(List.of(id), deviceContainers());
    }

    @Test
    public void c_givenRunningModule_whenDockerEngineRestarts_thenAgentStartsItAgain() {
        deploy();
        String id = inspect("{{.Id}}");

        engine.restart();
        await("container running again after the engine restart").atMost(LONG).pollInterval(Duration.ofSeconds(1))
                .until(() -> "true".equals(inspect("{{.State.Running}}")));
        awaitListed("running");

        assertEquals("the same container, started again", id, inspect("{{.Id}}"));
        assertEquals(List.of(id), deviceContainers());
        String status = outpost.outpost(Duration.ofMinutes(1), "deployment").assertExit(0).output();
        assertTrue(status, status.contains("converged"));
    }

    private static String deploy() {
        String out = outpost.outpost(LONG, "deploy", manifest.toString(), "--timeout", "180").assertExit(0).output();
        assertTrue(out, out.contains("converged"));
        return out;
    }

    private static void awaitListed(String status) {
        await(MODULE + " listed " + status).atMost(LONG).pollInterval(Duration.ofSeconds(2))
                .until(DeploymentE2EIT::listedStatus, status::equals);
    }

    /** The Status column of the module's row in {@code bin/outpost list}, or empty text. */
    private static String listedStatus() {
        String list = outpost.outpost(Duration.ofMinutes(1), "list").output().replaceAll("\u001B\\[[0-9;]*m", "");
        return list.lines().map(l -> l.split("\\|")).filter(cells -> cells.length > 2)
                .filter(cells -> cells[0].trim().equals(MODULE)).map(cells -> cells[2].trim()).findFirst().orElse("");
    }

    private static String inspect(String format) {
        return engine.docker(Duration.ofMinutes(1), "inspect", "--type", "container", "--format", format, MODULE)
                .output().trim();
    }

    private static List<String> deviceContainers() {
        return engine.docker(Duration.ofMinutes(1), "ps", "-aq", "--no-trunc", "--filter",
                "label=io.outpost.device=" + DEVICE).output().lines().filter(l -> !l.isBlank()).toList();
    }

    static Path repoRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/docker-engine.sh"))) {
                return p;
            }
        }
        throw new AssertionError("scripts/docker-engine.sh not found above " + System.getProperty("user.dir"));
    }
}
