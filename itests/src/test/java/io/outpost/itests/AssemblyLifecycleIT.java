package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The assembly as an operator uses it: install.sh into a temporary prefix, then bin/outpost start, status,
 * shell, stop and a second start, with every remote Maven repository switched off so that the runtime
 * must boot and install every Outpost feature from its own system/ folder.
 */
public class AssemblyLifecycleIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern FEATURE_ROW = Pattern.compile("^(outpost-[a-z0-9-]+)\\s*\\|", Pattern.MULTILINE);

    private Path prefix;
    private ProcessRunner runner;

    @Before
    public void install() throws IOException {
        InstalledAssembly installed = InstalledAssembly.install();
        prefix = installed.prefix;
        runner = installed.runner;
    }

    @After
    public void stop() {
        if (runner != null) {
            runner.run(Duration.ofMinutes(2), "bin/outpost", "stop");
        }
    }

    @Test
    public void givenInstalledAssembly_whenStartedOffline_thenEveryFeatureInstallsAndRestartReusesData()
            throws IOException {
        assertInstalledLayout();
        runner.run(Duration.ofSeconds(30), "bin/outpost", "status").assertExit(3);

        ProcessRunner.Result cold = runner.run(START_TIMEOUT, "bin/outpost", "start").assertExit(0);
        String status = runner.run(Duration.ofMinutes(1), "bin/outpost", "status").assertExit(0).output();
        assertTrue(status, status.contains("Outpost is running"));

        installEveryOutpostFeature();
        String installed = shell("feature:list -i");
        assertTrue(installed, installed.contains("outpost-edge"));
        assertNoErrorsLogged();

        runner.run(Duration.ofMinutes(2), "bin/outpost", "stop").assertExit(0);
        runner.run(Duration.ofSeconds(30), "bin/outpost", "status").assertExit(3);
        assertTrue("data/ kept after stop", Files.isDirectory(prefix.resolve("data/cache")));

        ProcessRunner.Result warm = runner.run(START_TIMEOUT, "bin/outpost", "start").assertExit(0);
        assertTrue(warm.output(), warm.output().contains("running"));
        assertFalse("a second start is not a first boot: " + warm.output(), warm.output().contains("first boot"));
        assertTrue(shell("feature:list -i").contains("outpost-edge"));
        System.out.printf("assembly start: cold %d ms, warm %d ms%n", cold.took().toMillis(), warm.took().toMillis());
    }

    @Test
    public void givenInstalledAssembly_whenHelpAndVersionAsked_thenTheyAnswerWithoutARuntime() {
        String help = runner.run(Duration.ofMinutes(1), "bin/outpost", "help").assertExit(0).output();
        for (String command : List.of("start", "stop", "status", "shell", "version")) {
            assertTrue(command + " in help:\n" + help, Pattern.compile("(?m)^\\s+" + command + "\\b").matcher(help).find());
        }
        String version = runner.run(Duration.ofMinutes(1), "bin/outpost", "version").assertExit(0).output();
        assertTrue(version, version.startsWith("Outpost " + System.getProperty("outpost.version", "")));

        runner.run(Duration.ofMinutes(1), "bin/outpost", "no-such-command").assertExit(2);
        String shell = runner.run(Duration.ofMinutes(1), "bin/outpost", "shell", "edge:version").output();
        assertTrue(shell, shell.contains("not running"));
    }

    private void installEveryOutpostFeature() {
        List<String> all = featureNames(shell("feature:list"));
        List<String> missing = new ArrayList<>(all);
        missing.removeAll(featureNames(shell("feature:list -i")));
        if (!missing.isEmpty()) {
            shell("feature:install " + String.join(" ", missing));
        }
        List<String> installed = featureNames(shell("feature:list -i"));
        assertTrue("outpost features known: " + all, all.contains("outpost-edge"));
        assertEquals("every Outpost feature installed offline", Set.copyOf(all), Set.copyOf(installed));
    }

    private static List<String> featureNames(String featureList) {
        List<String> names = new ArrayList<>();
        Matcher m = FEATURE_ROW.matcher(featureList.replaceAll("\u001B\\[[0-9;]*m", ""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private String shell(String command) {
        return runner.run(Duration.ofMinutes(3), "bin/outpost", "shell", command).assertExit(0).output();
    }

    private void assertInstalledLayout() throws IOException {
        for (String path : List.of("bin/outpost", "bin/karaf", "bin/client", "install.sh")) {
            assertTrue(path + " executable", Files.isExecutable(prefix.resolve(path)));
        }
        assertTrue(Files.isRegularFile(prefix.resolve("systemd/outpost.service")));
        assertTrue(Files.isDirectory(prefix.resolve("lib/cli")));
        Path credentials = prefix.resolve("etc/outpost-shell.credentials");
        assertEquals("credentials readable by the owner only",
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(credentials));
        String users = Files.readString(prefix.resolve("etc/users.properties"));
        assertTrue("console user created", users.lines().anyMatch(l -> l.startsWith("outpost = ")));
    }

    private void assertNoErrorsLogged() throws IOException {
        Path log = prefix.resolve("data/log/karaf.log");
        List<String> errors = Files.exists(log)
                ? Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains("| ERROR |")).toList()
                : List.of();
        assertEquals("ERROR lines in karaf.log", List.of(), errors);
    }
}
