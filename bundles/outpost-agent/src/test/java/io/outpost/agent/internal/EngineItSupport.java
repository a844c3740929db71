package io.outpost.agent.internal;

import static io.outpost.testing.DockerCli.docker;

import io.outpost.container.ContainerLabels;
import io.outpost.container.docker.testing.DockerEngineFixture;
import io.outpost.testing.DockerCli;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the agent's integration tests share: the real Docker engine through the real engine adapter (failing,
 * never skipping, when none answers), the test image built locally from outpost/base-busybox, unique device
 * and module names, and the docker CLI to look at (and clean up) what the agent did.
 */
final class EngineItSupport {

    /** Built from outpost/base-busybox by {@link #ensureTestImage()}; runs a loop that exits at once on TERM. */
    static final String TEST_IMAGE = "outpost-it/agent-app:1";
    static final String DOCKER_HOST = System.getProperty("outpost.docker.host", "unix:///var/run/docker.sock");
    /** A loop that answers TERM at once, so stops take no stop timeout. */
    static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";

    private EngineItSupport() {
    }

    /** The real engine adapter with host networking by default; fails the test when no engine answers. */
    static DockerEngineFixture engine() {
        return engine(DOCKER_HOST);
    }

    /** The real engine adapter reached at {@code dockerHost} (a relay in front of the engine, say). */
    static DockerEngineFixture engine(String dockerHost) {
        return DockerEngineFixture.open(dockerHost);
    }

    /** A name unique to this test: the device id of one test, or a module name (a container name on the engine). */
    static String unique(String what) {
        return "it-" + UUID.randomUUID().toString().substring(0, 8) + "-" + what;
    }

    /** Builds the outpost/base-* images (kept when present) and the test image from outpost/base-busybox. */
    static void ensureTestImage() throws IOException {
        DockerCli.ensureBaseImages();
        if (docker("image", "inspect", TEST_IMAGE).exitCode() == 0) {
            return;
        }
        DockerCli.buildImage(TEST_IMAGE, String.join("\n", "FROM outpost/base-busybox:1",
                "LABEL org.opencontainers.image.title=outpost-agent-it",
                "CMD [\"sh\", \"-c\", \"" + LOOP + "\"]", ""));
    }

    /** Removes every container (running or not) that carries the device label of {@code deviceId}. */
    static void removeDeviceContainers(String deviceId) {
        List<String> ids = deviceContainers(deviceId);
        if (!ids.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(ids);
            docker(args.toArray(String[]::new));
        }
    }

    /** The ids of every container of the device, running or not. */
    static List<String> deviceContainers(String deviceId) {
        return docker("ps", "-aq", "--no-trunc", "--filter", "label=" + ContainerLabels.DEVICE + "=" + deviceId)
                .output().lines().filter(l -> !l.isBlank()).toList();
    }

    /** {@code docker inspect --format <format> <name>}, trimmed; empty when there is no such container. */
    static String inspect(String name, String format) {
        DockerCli.Result r = docker("inspect", "--type", "container", "--format", format, name);
        return r.exitCode() == 0 ? r.output().trim() : "";
    }
}
