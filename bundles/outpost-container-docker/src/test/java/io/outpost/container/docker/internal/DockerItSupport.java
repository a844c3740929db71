package io.outpost.container.docker.internal;

import static io.outpost.testing.DockerCli.ENGINE_HINT;
import static io.outpost.testing.DockerCli.docker;
import static org.assertj.core.api.Assertions.fail;

import io.outpost.common.OutpostException;
import io.outpost.testing.DockerCli;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the engine adapter's integration tests share: the real engine (failing, never skipping, when none
 * answers), unique container names, and the test image; the docker CLI and the scripts are {@link DockerCli}'s.
 */
final class DockerItSupport {

    /** Built from outpost/base-busybox by {@link #ensureTestImage()}; its HEALTHCHECK fails until /tmp/healthy exists. */
    static final String TEST_IMAGE = "outpost-it/engine-app:1";
    static final URI DOCKER_HOST = URI.create(System.getProperty("outpost.docker.host", "unix:///var/run/docker.sock"));
    static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    private DockerItSupport() {
    }

    /** An engine client on the test engine; fails the test when no engine answers. */
    static DockerContainerEngine engine() {
        DockerContainerEngine engine = new DockerContainerEngine(EngineSettings.defaults(DOCKER_HOST));
        try {
            engine.engineVersion();
        } catch (OutpostException e) {
            engine.close();
            fail("No Docker engine answers at " + DOCKER_HOST + ": " + ENGINE_HINT + " (" + e.getMessage() + ")");
        }
        return engine;
    }

    /** A container name unique to this run, so parallel runs and leftovers never collide. */
    static String name(String what) {
        return "outpost-it-" + RUN_ID + "-" + what;
    }

    /** Builds the outpost/base-* images (skipped when present) and the test image from outpost/base-busybox. */
    static void ensureTestImage() throws IOException {
        DockerCli.ensureBaseImages();
        if (docker("image", "inspect", TEST_IMAGE).exitCode() == 0) {
            return;
        }
        DockerCli.buildImage(TEST_IMAGE, String.join("\n",
                "FROM outpost/base-busybox:1",
                "LABEL org.opencontainers.image.title=outpost-engine-it",
                "HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD test -f /tmp/healthy",
                "CMD [\"sh\", \"-c\", \"echo started; sleep 300\"]", ""));
    }

    /** Removes every container this run created, managed or not. */
    static void removeRunContainers() {
        DockerCli.Result ids = docker("ps", "-aq", "--filter", "name=outpost-it-" + RUN_ID);
        List<String> args = new ArrayList<>(List.of("rm", "-f"));
        ids.output().lines().filter(l -> !l.isBlank()).forEach(args::add);
        if (args.size() > 2) {
            docker(args.toArray(String[]::new));
        }
    }
}
