package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;

/**
 * The acceptance test of the quickstart: in a clean working copy (a {@code git clone} of the project's committed
 * state), the README's run command {@code scripts/quickstart.sh}, headless, brings up Outpost Cloud and Outpost Edge
 * on the product's default ports, registers the edge and deploys the sample modules from the cloud. The test waits
 * until the filter's alerts and the sensor's raw readings are in the cloud's telemetry store (REST API), runs the
 * command again (fast, nothing reinstalled), takes headless Chromium screenshots of the dashboard into
 * {@code target/}, stops everything and checks that no module container and no Karaf of the clone is left.
 *
 * <p>The clone builds Outpost itself, as a new user's first run does, against a Maven repository that holds the
 * third-party artifacts but <em>no</em> {@code io.outpost} artifact: a copy of this reactor's local repository (hard
 * links) without {@code io/outpost}, offline. A module that needs another module's artifact the quickstart's build
 * does not make (a test-jar, say) fails here, not on a user's machine. {@code -Doutpost.quickstart.prebuilt=true}
 * installs this reactor's assembly ({@code OUTPOST_ASSEMBLY}) instead, for a quicker run while working on the rest.
 * {@code -Doutpost.quickstart.source=DIR} clones another repository than this one.
 */
public class QuickstartIT {

    private static final String DEVICE = "quickstart-edge";
    private static final String API = "http://127.0.0.1:8080/api/v1";
    private static final Pattern MESSAGE = Pattern.compile("\\{\"sequence\":");

    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private Path clone;

    @Test
    public void givenCleanClone_whenReadmeRunCommandRuns_thenAlertsAndReadingsReachTheCloudAndStopLeavesNothing()
            throws Exception {
        Path source = Path.of(System.getProperty("outpost.quickstart.source",
                DeploymentE2EIT.repoRoot().toString()));
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        clone = target.resolve("quickstart/outpost");

        long t = System.nanoTime();
        removeEarlierClone();
        new ProcessRunner(target.toFile(), Map.of()).run(Duration.ofMinutes(5), "git", "clone", "--quiet",
                source.toString(), clone.toString()).assertExit(0);
        String head = git("rev-parse", "--short", "HEAD");
        for (String needed : List.of("scripts/quickstart.sh", "samples/quickstart/deployment.json",
                "scripts/sample-images.sh")) {
            if (!Files.isRegularFile(clone.resolve(needed))) {
                fail("the clone of " + source + " (HEAD " + head + ") has no " + needed
                        + ": the quickstart is not committed yet; commit it and run again");
            }
        }
        if (!Files.readString(clone.resolve("scripts/quickstart.sh")).contains("OUTPOST_QUICKSTART_DEVICE")) {
            fail("the clone of " + source + " (HEAD " + head + ") has an older scripts/quickstart.sh (no cloud, no "
                    + "OUTPOST_QUICKSTART_DEVICE): commit the current one and run again");
        }
        phase("clone", t);

        t = System.nanoTime();
        boolean prebuilt = Boolean.getBoolean("outpost.quickstart.prebuilt");
        Path repository = prebuilt ? reactorRepository() : repositoryWithoutOutpost(target);
        phase(prebuilt ? "reactor repository" : "Maven repository without io.outpost", t);
        ProcessRunner quickstart = new ProcessRunner(clone.toFile(), environment(repository, prebuilt));
        t = System.nanoTime();
        ProcessRunner.Result first = quickstart.run(Duration.ofMinutes(30), "scripts/quickstart.sh");
        System.out.println("== scripts/quickstart.sh (first run, " + first.took().toSeconds() + " s)\n"
                + first.output());
        first.assertExit(0);
        phase("quickstart (first run)", t);
        if (!prebuilt) {
            assertTrue("the clone built Outpost: " + first.output(), first.output().contains("building Outpost"));
            assertTrue("the build installed into the repository without Outpost's artifacts",
                    Files.isDirectory(repository.resolve("io/outpost/outpost-assembly")));
        }
        assertTrue(first.output(), first.output().contains("/dashboard/?device=" + DEVICE + "#token="));
        assertEquals("both modules listed running: " + first.output(), 2,
                first.output().lines().filter(l -> l.matches("(filter|sensor) +\\| running +\\| running .*")).count());

        String admin = Files.readString(clone.resolve("run/cloud/etc/outpost-cloud.token")).trim();
        t = System.nanoTime();
        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        await("filtered alerts and raw readings in the cloud's telemetry store").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    seen.set(telemetry(admin));
                    return seen.get().stream().anyMatch(QuickstartIT::isAlert)
                            && seen.get().stream().anyMatch(QuickstartIT::isRawReading);
                });
        phase("alerts and readings in the cloud", t);
        for (String alert : seen.get().stream().filter(QuickstartIT::isAlert).toList()) {
            double temperature = Double.parseDouble(field(alert, "\"machine\":\\{\"temperature\":([-0-9.Ee]+)"));
            assertTrue("an alert is a reading above the filter's threshold of 25: " + alert, temperature > 25);
        }

        t = System.nanoTime();
        ProcessRunner.Result second = quickstart.run(Duration.ofMinutes(10), "scripts/quickstart.sh");
        System.out.println("== scripts/quickstart.sh (second run, " + second.took().toSeconds() + " s)\n"
                + second.output());
        second.assertExit(0);
        phase("quickstart (second run)", t);
        assertEquals("nothing reinstalled: " + second.output(), 2,
                second.output().lines().filter(l -> l.contains("already installed in")).count());
        assertTrue(second.output(), second.output().contains("deployment quickstart exists"));
        assertTrue(second.output(), second.output().contains("device " + DEVICE + " is registered"));
        assertTrue("a second run is fast: " + second.took(), second.took().compareTo(Duration.ofSeconds(90)) < 0);

        t = System.nanoTime();
        String read = Files.readString(clone.resolve("run/cloud/etc/quickstart-dashboard.token")).trim();
        String fleetDom = chromium(target, "http://127.0.0.1:8080/dashboard/#token=" + read, "--dump-dom");
        assertTrue(fleetDom, fleetDom.contains(DEVICE) && fleetDom.contains("quickstart"));
        String deviceDom = chromium(target, "http://127.0.0.1:8080/dashboard/?device=" + DEVICE + "#token=" + read,
                "--dump-dom");
        assertTrue(deviceDom, deviceDom.contains("sensor") && deviceDom.contains("filter"));
        for (Map.Entry<String, String> page : Map.of("fleet", "/dashboard/", "device", "/dashboard/?device=" + DEVICE)
                .entrySet()) {
            Path shot = target.resolve("quickstart-dashboard-" + page.getKey() + ".png");
            Files.deleteIfExists(shot);
            chromium(target, "http://127.0.0.1:8080" + page.getValue() + "#token=" + read, "--screenshot=" + shot,
                    "--window-size=1280,900");
            assertTrue(shot + " written", Files.size(shot) > 10_000);
        }
        phase("dashboard screenshots", t);

        t = System.nanoTime();
        ProcessRunner.Result stop = quickstart.run(Duration.ofMinutes(5), "scripts/quickstart.sh", "stop");
        System.out.println("== scripts/quickstart.sh stop\n" + stop.output());
        stop.assertExit(0);
        assertNothingLeft();
        assertEquals(3, quickstart.run(Duration.ofMinutes(2), "scripts/quickstart.sh", "status").exitCode());
        phase("stop", t);
        clone = null;

        StringBuilder report = new StringBuilder("QuickstartIT phases (clone of " + source + " at " + head + "):\n");
        phases.forEach((name, took) -> report.append(String.format("  %-34s %6.1f s%n", name, took.toMillis() / 1000.0)));
        System.out.print(report);
        Files.writeString(target.resolve("quickstart-timings.txt"), report.toString());
        // checked last, so that a wrong property value does not hide how the rest went
        for (String alert : seen.get().stream().filter(QuickstartIT::isAlert).toList()) {
            assertEquals("the filter's MessageType property as the cloud stored it: " + alert, "Alert",
                    field(alert, "\"MessageType\":\"([^\"]*)\""));
        }
    }

    /** On failure: stop what the clone started, so that a failed run leaves nothing behind either. */
    @After
    public void stopWhatRuns() {
        if (clone != null && Files.isExecutable(clone.resolve("scripts/quickstart.sh"))) {
            new ProcessRunner(clone.toFile(), Map.of()).run(Duration.ofMinutes(5), "scripts/quickstart.sh", "stop");
        }
    }

    private void removeEarlierClone() throws IOException {
        if (Files.isExecutable(clone.resolve("scripts/quickstart.sh"))) {
            new ProcessRunner(clone.toFile(), Map.of()).run(Duration.ofMinutes(5), "scripts/quickstart.sh", "stop");
        }
        deleteTree(clone);
        Files.createDirectories(clone.getParent());
    }

    private static Map<String, String> environment(Path repository, boolean prebuilt) {
        Map<String, String> env = new HashMap<>();
        // the clone's Maven builds (the assembly, the sample jars) use this repository, offline
        env.put("OUTPOST_MVN_ARGS", "-o -Dmaven.repo.local=" + repository);
        if (prebuilt) {
            String assembly = System.getProperty("outpost.assembly", "");
            assertTrue("the assembly tar.gz (system property outpost.assembly): " + assembly,
                    new File(assembly).isFile());
            env.put("OUTPOST_ASSEMBLY", assembly);
        }
        env.put("OUTPOST_START_TIMEOUT", "240");
        return env;
    }

    private static Path reactorRepository() {
        String repo = System.getProperty("maven.repo.local", "");
        return repo.isEmpty() ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(repo);
    }

    /**
     * A copy of this reactor's local repository (hard links, so it costs no disk and a second or two) without
     * {@code io/outpost}: what a new user's repository holds after Maven fetched the third-party artifacts.
     */
    private static Path repositoryWithoutOutpost(Path target) throws IOException {
        Path copy = target.resolve("quickstart/m2-without-outpost").toAbsolutePath();
        deleteTree(copy);
        Files.createDirectories(copy.getParent());
        new ProcessRunner(target.toFile(), Map.of()).run(Duration.ofMinutes(5), "cp", "-al",
                reactorRepository().toString(), copy.toString()).assertExit(0);
        deleteTree(copy.resolve("io/outpost"));
        assertTrue("no io.outpost artifact in " + copy, !Files.exists(copy.resolve("io/outpost")));
        return copy;
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** The device's telemetry messages in the cloud, newest first, each as its JSON text. */
    private static List<String> telemetry(String token) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(API + "/devices/" + DEVICE + "/telemetry?limit=1000"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(response.body(), 200, response.statusCode());
        List<String> messages = new ArrayList<>();
        String[] parts = MESSAGE.split(response.body());
        for (int i = 1; i < parts.length; i++) {
            messages.add("{\"sequence\":" + parts[i]);
        }
        return messages;
    }

    private static boolean isAlert(String message) {
        return message.contains("\"moduleId\":\"filter\"") && message.contains("\"MessageType\":\"Alert")
                && message.contains("\"bodyEncoding\":\"json\"");
    }

    private static boolean isRawReading(String message) {
        return message.contains("\"moduleId\":\"sensor\"") && !message.contains("\"MessageType\"")
                && message.contains("\"machine\":{\"temperature\":");
    }

    private static String field(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(regex + " in " + text, m.find());
        return m.group(1);
    }

    private void assertNothingLeft() {
        ProcessRunner here = new ProcessRunner(clone.toFile(), Map.of());
        await("no Karaf of the clone running").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> here.run(Duration.ofSeconds(30), "pgrep", "-f", "karaf.home=" + clone + "/run/")
                        .exitCode() != 0);
        String containers = here.run(Duration.ofMinutes(1), "docker", "ps", "-a", "--filter",
                "label=io.outpost.device=" + DEVICE, "--format", "{{.Names}}").assertExit(0).output().trim();
        assertEquals("module containers of " + DEVICE + " left", "", containers);
    }

    private String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return new ProcessRunner(clone.toFile(), Map.of()).run(Duration.ofMinutes(1), command.toArray(String[]::new))
                .assertExit(0).output().trim();
    }

    private static String chromium(Path target, String url, String... extra) throws Exception {
        String binary = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
                .filter(p -> new File(p).canExecute()).findFirst()
                .orElseThrow(() -> new AssertionError("Chromium is not installed: apt-get install chromium (.ci/run does)"));
        Path profile = Files.createTempDirectory(target, "chromium");
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
        command.addAll(List.of(extra));
        command.add(url);
        Path out = target.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = target.resolve("chromium-" + System.nanoTime() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s: " + Files.readString(err));
        }
        assertEquals("chromium exit; stderr: " + Files.readString(err), 0, process.exitValue());
        return Files.readString(out);
    }

    private void phase(String name, long startNanos) {
        phases.put(name, Duration.ofNanos(System.nanoTime() - startNanos));
        System.out.printf("QuickstartIT: %s took %.1f s%n", name, phases.get(name).toMillis() / 1000.0);
    }
}
