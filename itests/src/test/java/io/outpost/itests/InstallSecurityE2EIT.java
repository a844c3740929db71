package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 13 (items 2, 19 and the loopback services of item 4), end to end: the assembly installed by root with
 * install.sh and no {@code --user}, so for the system user {@code outpost}, then started by root with
 * {@code bin/outpost start}. The installation and its secrets belong to {@code outpost} (mode 600), the runtime runs
 * as {@code outpost} and that user reaches its console; while bin/outpost runs a console command no process's command
 * line holds the console password or key; the SSH console and JMX refuse a client without credentials.
 */
public class InstallSecurityE2EIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
    private static final String RUNTIME_USER = "outpost";

    private static InstalledAssembly edge;

    @BeforeClass
    public static void installAsRootAndStart() throws IOException {
        assertEquals("install.sh creates the system user outpost only when run by root: run this test as root",
                "root", System.getProperty("user.name"));
        edge = InstalledAssembly.install(InstalledAssembly.Profile.EDGE, List.of());
        // what the test itself added after install.sh (its empty Maven repository) goes to the runtime user too
        giveToRuntimeUser(edge.prefix.resolve("empty-m2"));
        edge.outpost(START_TIMEOUT, "start").assertExit(0);
    }

    @AfterClass
    public static void stop() {
        if (edge != null) {
            edge.outpost(Duration.ofMinutes(2), "stop");
        }
    }

    @Test
    public void givenRootInstallWithoutUser_whenInstalled_thenSystemUserOutpostOwnsTheSecretsMode600() throws IOException {
        int uid = Integer.parseInt(run("id", "-u", RUNTIME_USER).assertExit(0).output().trim());
        assertTrue("outpost is a system user: uid " + uid, uid > 0 && uid < 1000);
        if (run("getent", "group", "docker").exitCode() == 0) {
            String groups = run("id", "-nG", RUNTIME_USER).assertExit(0).output();
            assertTrue("outpost is in the group docker: " + groups, List.of(groups.trim().split("\\s+")).contains("docker"));
        }
        for (String secret : List.of("etc/outpost-shell.credentials", "etc/outpost-shell.key", "etc/users.properties",
                "etc/keys.properties")) {
            Path file = edge.prefix.resolve(secret);
            assertEquals(secret + " owner", RUNTIME_USER, Files.getOwner(file).getName());
            assertEquals(secret + " mode", "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertEquals("the installation's owner", RUNTIME_USER, Files.getOwner(edge.prefix.resolve("system")).getName());
    }

    @Test
    public void givenStartedByRoot_whenRunning_thenTheRuntimeRunsAsOutpostWhoReachesTheConsole() {
        ProcessHandle karaf = ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).contains("-Dkaraf.home=" + edge.prefix)
                        && commandLine(p).contains("org.apache.karaf.main.Main"))
                .findFirst().orElseThrow(() -> new AssertionError("no runtime JVM of " + edge.prefix));
        assertEquals("the runtime's user", Optional.of(RUNTIME_USER), karaf.info().user());

        String version = new ProcessRunner(edge.prefix.toFile(), Map.of()).run(Duration.ofMinutes(2),
                "runuser", "-u", RUNTIME_USER, "--", "bin/outpost", "shell", "edge:version").assertExit(0).output();
        assertTrue(version, version.contains("Outpost "));
    }

    @Test
    public void givenConsoleCommandRunning_whenCommandLinesRead_thenNoneHoldsThePasswordOrTheKey() throws Exception {
        String password = edge.setting("etc/outpost-shell.credentials", "password");
        assertTrue("a password", password.length() >= 16);
        Path key = edge.prefix.resolve("etc/outpost-shell.key");
        String keyBody = Files.exists(key) ? Files.readAllLines(key).get(1) : password;
        Path output = Files.createTempFile(edge.prefix.getParent(), "shell-", ".out");
        Process shell = new ProcessBuilder("bin/outpost", "shell").directory(edge.prefix.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            // batch mode: the client has logged in and waits for its commands on the open stdin
            await("the console client runs").atMost(Duration.ofMinutes(1)).until(() -> shell.descendants()
                    .anyMatch(p -> commandLine(p).contains("org.apache.karaf.client.Main")));
            List<String> leaking = new ArrayList<>();
            int read = 0;
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    String line;
                    try {
                        line = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
                    } catch (IOException gone) {
                        continue;
                    }
                    read++;
                    if (line.contains(password) || line.contains(keyBody)) {
                        leaking.add(process.getFileName() + ": " + line.replace('\0', ' ')
                                .replace(password, "<password>").replace(keyBody, "<key>"));
                    }
                }
            }
            assertTrue("command lines read: " + read, read > 1);
            assertEquals("command lines holding the console password or key", List.of(), leaking);
            try (OutputStream in = shell.getOutputStream()) {
                in.write("edge:version\n".getBytes(StandardCharsets.UTF_8));
            }
            await("the console command finishes").atMost(Duration.ofMinutes(2)).until(() -> !shell.isAlive());
            String out = Files.readString(output);
            assertEquals("bin/outpost shell exit code; output:\n" + out, 0, shell.exitValue());
            assertTrue(out, out.contains("Outpost "));
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    @Test
    public void givenRunningEdge_whenJmxOrSshWithoutCredentials_thenRefused() throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:"
                + edge.setting("etc/org.apache.karaf.management.cfg", "rmiServerPort") + "/jndi/rmi://127.0.0.1:"
                + edge.setting("etc/org.apache.karaf.management.cfg", "rmiRegistryPort") + "/karaf-root");
        Exception none = assertThrows(Exception.class, () -> jmx(url, null));
        assertTrue("JMX without credentials refused by its authenticator: " + none,
                none instanceof SecurityException || none instanceof IllegalArgumentException);
        assertThrows(SecurityException.class, () -> jmx(url, new String[] {"outpost", "wrong"}));
        assertThrows(SecurityException.class, () -> jmx(url, new String[] {"karaf", "karaf"}));
        String password = edge.setting("etc/outpost-shell.credentials", "password");
        assertTrue("JMX with the console user's password", jmx(url, new String[] {"outpost", password}) > 0);

        String port = edge.setting("etc/org.apache.karaf.shell.cfg", "sshPort");
        for (List<String> credentials : List.of(List.of("-u", "outpost"), List.of("-u", "karaf", "-p", "karaf"))) {
            List<String> command = new ArrayList<>(List.of("sh", "-c", "echo edge:version | bin/client -h 127.0.0.1 -a "
                    + port + " " + String.join(" ", credentials) + " -b"));
            ProcessRunner.Result ssh = run(edge.prefix, command.toArray(String[]::new));
            assertFalse("SSH console answered " + credentials + ":\n" + ssh.output(), ssh.output().contains("Outpost "));
            assertTrue("SSH console refused " + credentials + ":\n" + ssh.output(),
                    ssh.exitCode() != 0 && ssh.output().contains("No more authentication methods available"));
        }
    }

    private static void giveToRuntimeUser(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName(RUNTIME_USER));
        Files.getFileAttributeView(path, PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName(RUNTIME_USER));
    }

    // The test connects to the installed runtime's own JMX port on loopback to prove it refuses bad credentials;
    // the peer is the runtime under test, not user input.
    @SuppressWarnings("BanJNDI")
    private static int jmx(JMXServiceURL url, String[] credentials) throws IOException {
        Map<String, Object> environment = credentials == null ? Map.of() : Map.of(JMXConnector.CREDENTIALS, credentials);
        try (JMXConnector connector = JMXConnectorFactory.connect(url, environment)) {
            return connector.getMBeanServerConnection().getMBeanCount();
        }
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    private static ProcessRunner.Result run(String... command) {
        return run(Path.of("."), command);
    }

    private static ProcessRunner.Result run(Path directory, String... command) {
        return new ProcessRunner(directory.toFile(), Map.of()).run(Duration.ofMinutes(2), command);
    }
}
