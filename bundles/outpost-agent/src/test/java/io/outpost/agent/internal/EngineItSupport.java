package io.outpost.agent.internal;

import static org.assertj.core.api.Assertions.fail;

import io.outpost.common.OutpostException;
import io.outpost.container.ContainerLabels;
import io.outpost.container.docker.internal.DockerContainerEngine;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the agent's integration tests share: the real Docker engine through the real engine adapter (failing,
 * never skipping, when none answers), the test image built locally from outpost/base-busybox, unique device
 * and module names, and the docker CLI to look at (and clean up) what the agent did.
 */
final class EngineItSupport {

    /** Built from outpost/base-busybox by {@link #ensureTestImage()}; runs a loop that exits at once on TERM. */
    static final String TEST_IMAGE = "outpost-it/agent-app:1";
    static final String DOCKER_HOST = System.getProperty("outpost.docker.host", "unix:///var/run/docker.sock");
    static final String ENGINE_HINT = "start one with scripts/docker-engine.sh (as root on Debian), then rerun";
    /** A loop that answers TERM at once, so stops take no stop timeout. */
    static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";

    private EngineItSupport() {
    }

    /** The real engine adapter with host networking by default; fails the test when no engine answers. */
    static DockerContainerEngine engine() {
        DockerContainerEngine engine = new DockerContainerEngine(new EngineConfig());
        try {
            engine.engineVersion();
        } catch (OutpostException e) {
            engine.close();
            fail("No Docker engine answers at " + DOCKER_HOST + ": " + ENGINE_HINT + " (" + e.getMessage() + ")");
        }
        return engine;
    }

    /** A name unique to this test: the device id of one test, or a module name (a container name on the engine). */
    static String unique(String what) {
        return "it-" + UUID.randomUUID().toString().substring(0, 8) + "-" + what;
    }

    /** Builds the outpost/base-* images (kept when present) and the test image from outpost/base-busybox. */
    static void ensureTestImage() throws IOException {
        Result base = run(Map.of(), List.of("bash", repoRoot().resolve("scripts/base-images.sh").toString()));
        if (base.exitCode() != 0) {
            fail("scripts/base-images.sh failed: " + base.output() + "\n" + ENGINE_HINT);
        }
        if (docker("image", "inspect", TEST_IMAGE).exitCode() == 0) {
            return;
        }
        buildImage(TEST_IMAGE, String.join("\n", "FROM outpost/base-busybox:1",
                "LABEL org.opencontainers.image.title=outpost-agent-it",
                "CMD [\"sh\", \"-c\", \"" + LOOP + "\"]", ""));
    }

    /** Builds an image from a Dockerfile text with no network (classic builder). */
    static void buildImage(String tag, String dockerfile) throws IOException {
        Path context = Files.createTempDirectory("outpost-agent-it-image");
        try {
            Files.writeString(context.resolve("Dockerfile"), dockerfile);
            Result built = run(Map.of("DOCKER_BUILDKIT", "0"),
                    List.of("docker", "build", "--network", "none", "-t", tag, context.toString()));
            if (built.exitCode() != 0) {
                fail("building " + tag + " failed: " + built.output());
            }
        } finally {
            try (var files = Files.walk(context)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
        Result r = docker("inspect", "--type", "container", "--format", format, name);
        return r.exitCode() == 0 ? r.output().trim() : "";
    }

    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/base-images.sh"))) {
                return p;
            }
        }
        return fail("scripts/base-images.sh not found above " + dir);
    }

    static Result docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return run(Map.of(), command);
    }

    static Result run(Map<String, String> env, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return fail("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return fail("could not run " + command + ": " + e.getMessage() + "; is the docker CLI installed? "
                    + ENGINE_HINT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + command);
        }
    }

    record Result(int exitCode, String output) {
        Result assertOk(String what) {
            if (exitCode != 0) {
                fail(what + " failed (" + exitCode + "): " + output);
            }
            return this;
        }
    }

    /** The engine adapter's configuration as the feature ships it: host networking for modules. */
    @SuppressWarnings("ClassExplicitlyAnnotation")
    private static final class EngineConfig implements DockerContainerEngine.Config {
        @Override
        public String dockerHost() {
            return DOCKER_HOST;
        }

        @Override
        public String apiVersion() {
            return "";
        }

        @Override
        public int connectTimeoutMillis() {
            return 5000;
        }

        @Override
        public int responseTimeoutSeconds() {
            return 60;
        }

        @Override
        public int pullTimeoutSeconds() {
            return 120;
        }

        @Override
        public String defaultNetworkMode() {
            return "host";
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return DockerContainerEngine.Config.class;
        }
    }
}
