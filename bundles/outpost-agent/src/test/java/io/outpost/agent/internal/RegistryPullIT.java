package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.looping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.testing.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Images with imagePullPolicy on-create pulled from a real private registry (Debian's docker-registry with
 * basic auth on 127.0.0.1, started by scripts/test-registry.sh) with the manifest's registryCredentials.
 */
class RegistryPullIT extends AgentItBase {

    private static final String USER = "outpost-it";
    private static final String PASSWORD = "s3cret-" + EngineItSupport.unique("pw");
    private static Map<String, String> registry;
    private static Path dockerConfig;
    private static final List<String> pushed = new ArrayList<>();

    @BeforeAll
    static void startRegistry() throws Exception {
        DockerCli.Result started = DockerCli.run(Map.of(), List.of("bash",
                DockerCli.repoRoot().resolve("scripts/test-registry.sh").toString(), "start", USER, PASSWORD));
        if (started.exitCode() != 0) {
            fail("scripts/test-registry.sh start failed (needs the Debian packages docker-registry and "
                    + "apache2-utils): " + started.output());
        }
        registry = new HashMap<>();
        started.output().lines().filter(l -> l.contains("=")).forEach(l -> registry.put(
                l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        dockerConfig = Files.createTempDirectory("outpost-it-docker-config");
        cli("login", "-u", USER, "-p", PASSWORD, registry.get("address")).assertOk("docker login");
    }

    @AfterAll
    static void stopRegistry() {
        pushed.forEach(image -> DockerCli.docker("rmi", "-f", image));
        if (registry != null) {
            DockerCli.run(Map.of(), List.of("bash",
                    DockerCli.repoRoot().resolve("scripts/test-registry.sh").toString(), "stop", registry.get("dir")));
        }
        if (dockerConfig != null) {
            dockerConfig.resolve("config.json").toFile().delete();
            dockerConfig.toFile().delete();
        }
    }

    @Test
    void givenImageOnlyInThePrivateRegistry_whenDeployedOnCreateWithCredentials_thenPulledAndRunning() {
        String image = pushOnly("pulled");
        String m = module("pulled");

        agent.apply("v1", ItManifest.of(looping(m, 0).withImage(image, "on-create"))
                .credentials("private", registry.get("address"), USER, PASSWORD).bytes());
        awaitConverged("v1");

        assertThat(DockerCli.docker("image", "inspect", image).exitCode()).isZero();
        assertThat(container(m).orElseThrow().image()).isEqualTo(image);
    }

    @Test
    void givenWrongCredentials_whenDeployed_thenThatModuleReportsTheErrorAndTheRestRuns() {
        String image = pushOnly("refused");
        String m = module("refused");
        String other = module("local");

        agent.apply("v1", ItManifest.of(looping(m, 0).withImage(image, "on-create"), looping(other, 0))
                .credentials("private", registry.get("address"), USER, "wrong-password").bytes());
        awaitModule(other, s -> s.runtimeStatus() == RuntimeStatus.RUNNING);
        ModuleStatus refused = awaitModule(m, s -> s.statusDescription().contains("failed"));
        DeploymentStatus s = agent.status();

        assertThat(refused.runtimeStatus()).isEqualTo(RuntimeStatus.BACKOFF);
        assertThat(refused.statusDescription()).contains("pull " + image).containsIgnoringCase("unauthorized");
        assertThat(s.code()).isEqualTo(500);
        assertThat(s.description()).contains("module " + m);
        assertThat(container(m)).isEmpty();
        assertThat(DockerCli.docker("image", "inspect", image).exitCode()).isNotZero();
        assertThat(s.module(other).orElseThrow().runtimeStatus()).isEqualTo(RuntimeStatus.RUNNING);
    }

    /** Pushes the test image to the registry under a fresh name and removes the local tag: only the registry has it. */
    private String pushOnly(String what) {
        String image = registry.get("address") + "/outpost-it/" + EngineItSupport.unique(what) + ":1";
        pushed.add(image);
        DockerCli.docker("tag", EngineItSupport.TEST_IMAGE, image).assertOk("docker tag");
        cli("push", image).assertOk("docker push " + image);
        DockerCli.docker("rmi", image).assertOk("docker rmi " + image);
        assertThat(DockerCli.docker("image", "inspect", image).exitCode()).isNotZero();
        return image;
    }

    /** The docker CLI with this test's own client configuration (its registry login stays out of ~/.docker). */
    private static DockerCli.Result cli(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return DockerCli.run(Map.of("DOCKER_CONFIG", dockerConfig.toString()), command);
    }
}
