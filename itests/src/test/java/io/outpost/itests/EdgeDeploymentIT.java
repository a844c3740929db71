package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * Inside the distribution, the agent deploys a busybox module on the machine's Docker engine through
 * {@code edge:deploy}, and {@code edge:module-list} shows it running. The device id and the module name are
 * unique to the run; a deployment without modules removes the container at the end.
 */
public class EdgeDeploymentIT extends OutpostTestSupport {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String MODULE = "exam-" + RUN + "-sensor";
    private static final String IMAGE = "outpost/base-busybox:1";
    private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(4);

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/io.outpost.agent.cfg", "deviceId", "exam-" + RUN),
            editConfigurationFilePut("etc/io.outpost.agent.cfg", "reconcileIntervalSecs", "2"),
            editConfigurationFilePut("etc/system.properties", "outpost.repo", repoRoot().toString()),
        };
    }

    private static Path repoRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/base-images.sh"))) {
                return p;
            }
        }
        return Path.of(System.getProperty("user.dir"));
    }

    @Before
    public void engineAndImage() {
        String repo = System.getProperty("outpost.repo", "");
        if (run("docker", "version", "--format", "{{.Server.Version}}") != 0) {
            fail("no Docker engine answers: start one with scripts/docker-engine.sh (as root on Debian)");
        }
        if (run("bash", repo + "/scripts/base-images.sh") != 0) {
            fail("scripts/base-images.sh failed to build " + IMAGE);
        }
        awaitCommand("edge", "deploy", Duration.ofSeconds(90));
    }

    @After
    public void removeModule() throws IOException {
        try {
            executeCommand("edge:deploy --timeout 120 " + write("exam-empty.json", Manifest.of("")), DEPLOY_TIMEOUT,
                    ADMIN_ROLES);
        } finally {
            run("docker", "rm", "-f", MODULE);
        }
    }

    @Test
    public void givenBusyboxManifest_whenDeployedWithEdgeDeploy_thenModuleListShowsItRunning() throws IOException {
        Path file = write("exam-deployment.json", Manifest.single(MODULE, IMAGE, "always"));

        String deployed = executeCommand("edge:deploy --timeout 180 " + file, DEPLOY_TIMEOUT, ADMIN_ROLES);
        String list = executeCommand("edge:module-list");

        assertTrue(deployed, deployed.contains("converged"));
        List<String> row = list.lines().filter(l -> l.trim().startsWith(MODULE + " ")).toList();
        assertEquals(list, 1, row.size());
        String[] cells = row.get(0).split("\\|");
        assertEquals(list, "running", cells[2].trim());
        assertEquals(list, IMAGE, cells[cells.length - 1].trim());
        String status = executeCommand("edge:deployment-status");
        assertTrue(status, status.contains("200 (converged)"));

        String inspect = output("docker", "inspect", "-f", "{{json .Config.Env}} {{json .HostConfig.Binds}}", MODULE);
        assertTrue(inspect, inspect.contains("\"IOTEDGE_MODULEID=" + MODULE + "\""));
        assertTrue(inspect, inspect.contains("\"IOTEDGE_AUTHSCHEME=sasToken\""));
        assertTrue(inspect, inspect.contains(":/var/run/iotedge\""));

        assertEquals(1, startsInLog());
        assertTrue(executeCommand("edge:module-restart " + MODULE).contains("restart of " + MODULE + " requested"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (startsInLog() < 2) {
            if (System.nanoTime() > deadline) {
                fail("the module's log shows no second start after edge:module-restart:\n"
                        + executeCommand("edge:module-logs " + MODULE));
            }
            sleep(Duration.ofMillis(500));
        }
        String error = executeFailingCommand("edge:module-restart no-such-module", ADMIN_ROLES);
        assertTrue(error, error.contains("no-such-module"));
    }

    /** How often the module's log says it started, read through {@code edge:module-logs --tail}. */
    private long startsInLog() {
        return executeCommand("edge:module-logs --tail 20 " + MODULE).lines()
                .filter(l -> l.trim().equals(Manifest.STARTED)).count();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Path write(String name, String manifest) throws IOException {
        Path file = Path.of(System.getProperty("karaf.base", "."), name).toAbsolutePath();
        Files.writeString(file, manifest, StandardCharsets.UTF_8);
        return file;
    }

    /** Runs a command of the machine and returns what it printed. */
    private static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(1, TimeUnit.MINUTES);
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs a command of the machine (the docker CLI, a script of the repository) and returns its exit code. */
    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
