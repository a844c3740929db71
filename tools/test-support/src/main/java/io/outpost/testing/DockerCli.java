package io.outpost.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI and the repository's scripts as the Docker integration tests use them (outpost-container-docker's
 * and the agent's): to set up and look at what Outpost must find or must not touch. A test fails,
 * never skips, when the CLI or an engine is missing.
 */
public final class DockerCli {

    public static final String ENGINE_HINT = "start one with scripts/docker-engine.sh (as root on Debian), then rerun";

    private DockerCli() {
    }

    /** The checkout's root: the first folder above the working directory that has scripts/base-images.sh. */
    public static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/base-images.sh"))) {
                return p;
            }
        }
        throw new AssertionError("scripts/base-images.sh not found above " + dir);
    }

    /** Builds the outpost/base-* images with scripts/base-images.sh (kept when present). */
    public static void ensureBaseImages() {
        run(Map.of(), List.of("bash", repoRoot().resolve("scripts/base-images.sh").toString()))
                .assertOk("scripts/base-images.sh (" + ENGINE_HINT + ")");
    }

    /** Builds an image from a Dockerfile text with no network (classic builder). */
    public static void buildImage(String tag, String dockerfile) throws IOException {
        Path context = Files.createTempDirectory("outpost-it-image");
        try {
            Files.writeString(context.resolve("Dockerfile"), dockerfile);
            run(Map.of("DOCKER_BUILDKIT", "0"), List.of("docker", "build", "--network", "none", "-t", tag,
                    context.toString())).assertOk("building " + tag);
        } finally {
            try (var files = Files.walk(context)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static Result docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return run(Map.of(), command);
    }

    /** Runs a command (five minutes at most) with extra environment variables; its output has stderr too. */
    public static Result run(Map<String, String> env, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e.getMessage()
                    + "; is the docker CLI installed? " + ENGINE_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    public record Result(int exitCode, String output) {

        /** This result, when the command succeeded; otherwise the test fails naming {@code what}. */
        public Result assertOk(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed (" + exitCode + "): " + output);
            }
            return this;
        }
    }
}
