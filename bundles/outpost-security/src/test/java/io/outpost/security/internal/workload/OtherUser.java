package io.outpost.security.internal.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a small client of the workload API as another user (uid 65534, {@code nobody}) with {@code setpriv}: as a
 * local user of the host, or inside a mount namespace where a module folder is bind-mounted as Docker mounts it
 * into a container. Needs root.
 */
final class OtherUser {

    private static final String PROBE = """
            import java.net.*;
            import java.nio.*;
            import java.nio.channels.*;
            public class Probe {
                public static void main(String[] args) throws Exception {
                    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        ch.connect(UnixDomainSocketAddress.of(args[0]));
                        ch.write(ByteBuffer.wrap("GET /trust-bundle?api-version=1 HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n".getBytes()));
                        ByteBuffer b = ByteBuffer.allocate(4096);
                        ch.read(b);
                        System.out.print(new String(b.array(), 0, b.position()));
                    } catch (java.io.IOException e) {
                        System.out.print("denied: " + e);
                    }
                }
            }
            """;

    private OtherUser() {
    }

    /** Writes the client's source where any user may read it. */
    static Path probe() throws IOException {
        Path folder = Files.createTempDirectory("outpost-probe");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = folder.resolve("Probe.java");
        Files.writeString(source, PROBE);
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(folder.resolve("iotedge"));
        Files.setPosixFilePermissions(folder.resolve("iotedge"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return source;
    }

    /** Connects to {@code socket} as {@code nobody}; returns the answer's start, or {@code denied: ...}. */
    static String run(Path probe, String socket) throws IOException, InterruptedException {
        return exec(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java(),
                "-XX:-UsePerfData", probe.toString(), socket));
    }

    /** Mounts {@code moduleFolder} at a path any user may enter, then connects through it as {@code nobody}. */
    static String runInMount(Path probe, Path moduleFolder) throws IOException, InterruptedException {
        Path mount = probe.resolveSibling("iotedge");
        String script = "mount --bind \"$1\" \"$2\" && exec setpriv --reuid=65534 --regid=65534 --clear-groups "
                + "\"$3\" -XX:-UsePerfData \"$4\" \"$2/workload.sock\"";
        return exec(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
                moduleFolder.toString(), mount.toString(), java(), probe.toString()));
    }

    /** Deletes what {@link #probe()} made, and anything under it. */
    static void deleteAll(Path folder) throws IOException {
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
