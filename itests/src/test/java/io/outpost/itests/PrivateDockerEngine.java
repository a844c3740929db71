package io.outpost.itests;

import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Docker engine of the test's own: a second dockerd with its own socket, data and exec folders under
 * /tmp, so that a test may restart it (by its process id) without disturbing the machine's engine or
 * anyone else's containers. Started like scripts/docker-engine.sh starts the machine's engine (no bridge,
 * no iptables); it needs root and Debian's docker.io, as that script does.
 */
final class PrivateDockerEngine implements AutoCloseable {

    private static final String HINT = "a private dockerd needs root and docker.io: run scripts/docker-engine.sh first";

    private final Path dir;
    private final ProcessRunner docker;
    private final ProcessRunner shell;

    private PrivateDockerEngine(Path dir) {
        this.dir = dir;
        this.docker = new ProcessRunner(dir.toFile(), Map.of("DOCKER_HOST", host()));
        this.shell = new ProcessRunner(dir.toFile(), Map.of());
    }

    /** Starts an engine and loads the given images from the machine's engine into it. */
    static PrivateDockerEngine start(String... images) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "outpost-e2e-dockerd.");
        PrivateDockerEngine engine = new PrivateDockerEngine(dir);
        engine.startDaemon();
        for (String image : images) {
            Path tar = dir.resolve("image.tar");
            engine.shell.run(Duration.ofMinutes(2), "docker", "save", "-o", tar.toString(), image).assertExit(0);
            engine.docker(Duration.ofMinutes(2), "load", "-i", tar.toString()).assertExit(0);
            Files.delete(tar);
        }
        return engine;
    }

    /** {@code unix://<dir>/docker.sock} */
    String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    ProcessRunner.Result docker(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return docker.run(timeout, command.toArray(String[]::new));
    }

    /** Stops dockerd (its containers stop with it) and starts it again on the same folders. */
    void restart() {
        stopDaemon();
        startDaemon();
    }

    private void startDaemon() {
        String script = "setsid dockerd --host " + host() + " --data-root " + dir.resolve("root") + " --exec-root "
                + dir.resolve("exec") + " --pidfile " + dir.resolve("docker.pid")
                + " --bridge=none --iptables=false --ip-masq=false >>" + dir.resolve("dockerd.log")
                + " 2>&1 </dev/null &";
        shell.run(Duration.ofSeconds(30), "bash", "-c", script).assertExit(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (docker(Duration.ofSeconds(20), "version", "--format", "{{.Server.Version}}").exitCode() != 0) {
            if (System.nanoTime() > deadline) {
                fail("the private dockerd did not answer on " + host() + " within 90 s (" + HINT + "); see "
                        + dir.resolve("dockerd.log"));
            }
            pause();
        }
    }

    private void stopDaemon() {
        String pid = pid();
        if (pid.isEmpty()) {
            return;
        }
        shell.run(Duration.ofSeconds(10), "kill", pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (shell.run(Duration.ofSeconds(10), "kill", "-0", pid).exitCode() == 0) {
            if (System.nanoTime() > deadline) {
                fail("the private dockerd (pid " + pid + ") did not stop within 90 s");
            }
            pause();
        }
    }

    private String pid() {
        try {
            Path file = dir.resolve("docker.pid");
            return Files.exists(file) ? Files.readString(file).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Removes every container of the engine, stops it, and deletes its folders. */
    @Override
    public void close() {
        String ids = docker(Duration.ofMinutes(1), "ps", "-aq").output().trim();
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(List.of(ids.split("\\s+")));
            docker(Duration.ofMinutes(2), rm.toArray(String[]::new));
        }
        stopDaemon();
        shell.run(Duration.ofSeconds(30), "bash", "-c", "umount " + dir.resolve("exec/netns/default")
                + " 2>/dev/null; rm -rf " + dir);
    }
}
