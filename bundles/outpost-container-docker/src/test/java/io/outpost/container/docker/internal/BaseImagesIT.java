package io.outpost.container.docker.internal;

import static io.outpost.testing.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.testing.DockerCli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** scripts/base-images.sh builds the base images with no registry, and they run. */
class BaseImagesIT {

    @BeforeAll
    static void engineAndImages() throws Exception {
        DockerItSupport.engine().close();
        DockerItSupport.ensureTestImage();
    }

    @Test
    void givenScriptRan_whenImagesListed_thenBothBaseImagesExistWithBothTags() {
        String listed = DockerCli.run(Map.of(),
                List.of("bash", DockerCli.repoRoot().resolve("scripts/base-images.sh").toString(), "--list"))
                .assertOk("scripts/base-images.sh --list").output();

        assertThat(listed).contains("outpost/base-busybox:1", "outpost/base-busybox:latest",
                "outpost/base-java17:1", "outpost/base-java17:latest");
    }

    @Test
    void givenJavaBase_whenJavaVersionRuns_thenJava17Answers() {
        DockerCli.Result result = docker("run", "--rm", "--network", "none", "outpost/base-java17:1", "java", "-version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("version \"17");
    }

    @Test
    void givenBusyboxBase_whenShellRunsAsNobody_thenAppletsAndAccountsWork() {
        DockerCli.Result result = docker("run", "--rm", "--network", "none", "-u", "nobody",
                "outpost/base-busybox:1", "sh", "-c", "id -un; touch /tmp/x && echo tmp-ok; which wget");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("nobody", "tmp-ok", "/usr/bin/wget");
    }
}
