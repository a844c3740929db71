package io.outpost.agent.internal;

import static io.outpost.agent.internal.Manifests.manifest;
import static io.outpost.agent.internal.Manifests.module;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentFileWatchTest {

    @TempDir
    Path dir;

    /** Records what the watch hands to the agent. */
    private final List<DesiredState> applied = new ArrayList<>();
    private final DeploymentService agent = new DeploymentService() {
        public DeploymentStatus apply(DesiredState desired) {
            applied.add(desired);
            return DeploymentStatus.none();
        }

        public DeploymentStatus status() {
            return DeploymentStatus.none();
        }

        public void restartModule(String name) {
        }
    };

    private DeploymentFileWatch watch() {
        return new DeploymentFileWatch(dir.resolve("etc/deployment.json"), dir.resolve("data/marker"), agent);
    }

    @Test
    void givenNoFile_whenChecked_thenNothingApplied() {
        assertThat(watch().check()).isFalse();
        assertThat(applied).isEmpty();
    }

    @Test
    void givenFile_whenCheckedTwiceAndAfterARestart_thenAppliedOnceUntilEdited() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.write(dir.resolve("etc/deployment.json"), manifest(module("a", "img-a", 0, "always", "running", "x")));

        assertThat(watch().check()).isTrue();
        assertThat(watch().check()).isFalse();
        Files.write(dir.resolve("etc/deployment.json"), manifest(module("a", "img-a", 0, "always", "running", "y")));
        assertThat(watch().check()).isTrue();

        assertThat(applied).hasSize(2);
        assertThat(applied.get(0).version()).isNotEqualTo(applied.get(1).version());
        assertThat(applied.get(1).source()).startsWith("file:");
    }
}
