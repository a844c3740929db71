package io.outpost.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The assembly as an operator installs it: unpacked from the built tar.gz, installed with install.sh into a
 * temporary prefix, with free ports and no remote Maven repository (only system/ serves bundles). Runs
 * bin/outpost there.
 */
final class InstalledAssembly {

    final Path prefix;
    final ProcessRunner runner;

    private InstalledAssembly(Path prefix) {
        this.prefix = prefix;
        this.runner = new ProcessRunner(prefix.toFile(), Map.of("OUTPOST_START_TIMEOUT", "240"));
    }

    static InstalledAssembly install() throws IOException {
        Path work = Files.createDirectories(Path.of(System.getProperty("project.build.directory", "target"), "e2e"));
        Path unpacked = Files.createTempDirectory(work, "unpacked-");
        Path prefix = Files.createTempDirectory(work, "prefix-").resolve("opt/outpost");
        ProcessRunner here = new ProcessRunner(unpacked.toFile(), Map.of());
        here.run(Duration.ofMinutes(2), "tar", "xzf", assembly().getAbsolutePath(), "-C", unpacked.toString())
                .assertExit(0);
        Path root = Files.list(unpacked).findFirst().orElseThrow();
        here.run(Duration.ofMinutes(2), root.resolve("install.sh").toString(), "--prefix", prefix.toString(),
                "--no-systemd").assertExit(0);
        InstalledAssembly installed = new InstalledAssembly(prefix);
        installed.isolateFromNetworkAndPorts();
        return installed;
    }

    /** Runs {@code bin/outpost <args>}. */
    ProcessRunner.Result outpost(Duration timeout, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "bin/outpost";
        System.arraycopy(args, 0, command, 1, args.length);
        return runner.run(timeout, command);
    }

    /** Sets (or adds) properties of a file under the prefix, e.g. {@code etc/io.outpost.agent.cfg}. */
    void rewrite(String file, Map<String, String> values) throws IOException {
        Path path = prefix.resolve(file);
        List<String> out = new ArrayList<>();
        boolean continuation = false;
        for (String line : Files.exists(path) ? Files.readAllLines(path) : List.<String>of()) {
            String key = line.split("=", 2)[0].trim();
            if (continuation) {
                continuation = line.endsWith("\\");
                continue;
            }
            if (values.containsKey(key)) {
                continuation = line.endsWith("\\");
                continue;
            }
            out.add(line);
        }
        values.forEach((k, v) -> out.add(k + " = " + v));
        Files.write(path, out);
    }

    private void isolateFromNetworkAndPorts() throws IOException {
        Path emptyRepo = Files.createDirectories(prefix.resolve("empty-m2"));
        rewrite("etc/org.ops4j.pax.url.mvn.cfg", Map.of(
                "org.ops4j.pax.url.mvn.repositories", "",
                "org.ops4j.pax.url.mvn.localRepository", emptyRepo.toString()));
        rewrite("etc/org.apache.karaf.shell.cfg", Map.of("sshPort", freePort()));
        rewrite("etc/org.apache.karaf.management.cfg", Map.of("rmiRegistryPort", freePort(), "rmiServerPort", freePort()));
        // the hub's MQTT listener: a feature writes its settings file only when none exists, so this one is kept
        rewrite("etc/io.outpost.hub.store.cfg", Map.of("mqttTlsPort", freePort()));
    }

    /** A setting of a file under the prefix, e.g. {@code setting("etc/io.outpost.hub.store.cfg", "mqttTlsPort")}. */
    String setting(String file, String key) throws IOException {
        for (String line : Files.readAllLines(prefix.resolve(file))) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals(key)) {
                return kv[1].trim();
            }
        }
        throw new IllegalStateException(key + " is not set in " + file);
    }

    static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static File assembly() {
        File file = new File(System.getProperty("outpost.assembly", ""));
        assertTrue("the assembly tar.gz (system property outpost.assembly): " + file, file.isFile());
        return file;
    }
}
