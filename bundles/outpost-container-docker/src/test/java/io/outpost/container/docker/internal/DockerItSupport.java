package io.outpost.container.docker.internal;

import static org.assertj.core.api.Assertions.fail;

import io.outpost.common.OutpostException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the integration tests share: the real engine (failing, never skipping, when none answers), the
 * repository's scripts, the docker CLI for setting up what Outpost must not touch, and the test image.
 */
final class DockerItSupport {

    /** Built from outpost/base-busybox by {@link #ensureTestImage()}; its HEALTHCHECK fails until /tmp/healthy exists. */
    static final String TEST_IMAGE = "outpost-it/engine-app:1";
    static final URI DOCKER_HOST = URI.create(System.getProperty("outpost.docker.host", "unix:///var/run/docker.sock"));
    static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String ENGINE_HINT = "start one with scripts/docker-engine.sh (as root on Debian), then rerun";

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

    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/base-images.sh"))) {
                return p;
            }
        }
        return fail("scripts/base-images.sh not found above " + dir);
    }

    /** Builds the outpost/base-* images (skipped when present) and the test image from outpost/base-busybox. */
    static void ensureTestImage() throws IOException {
        run(Map.of(), List.of("bash", repoRoot().resolve("scripts/base-images.sh").toString()));
        if (docker("image", "inspect", TEST_IMAGE).exitCode() == 0) {
            return;
        }
        Path context = Files.createTempDirectory("outpost-it-image");
        try {
            Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                    "FROM outpost/base-busybox:1",
                    "LABEL org.opencontainers.image.title=outpost-engine-it",
                    "HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD test -f /tmp/healthy",
                    "CMD [\"sh\", \"-c\", \"echo started; sleep 300\"]", ""));
            Result built = run(Map.of("DOCKER_BUILDKIT", "0"),
                    List.of("docker", "build", "--network", "none", "-t", TEST_IMAGE, context.toString()));
            if (built.exitCode() != 0) {
                fail("building " + TEST_IMAGE + " failed: " + built.output());
            }
        } finally {
            try (var files = Files.walk(context)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Removes every container this run created, managed or not. */
    static void removeRunContainers() {
        Result ids = docker("ps", "-aq", "--filter", "name=outpost-it-" + RUN_ID);
        List<String> args = new ArrayList<>(List.of("rm", "-f"));
        ids.output().lines().filter(l -> !l.isBlank()).forEach(args::add);
        if (args.size() > 2) {
            docker(args.toArray(String[]::new));
        }
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
            if (process.exitValue() != 0 && command.get(0).equals("bash")) {
                fail(command + " failed (" + process.exitValue() + "): " + output
                        + (output.contains("docker-engine.sh") ? "" : "\n" + ENGINE_HINT));
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
    }
}
