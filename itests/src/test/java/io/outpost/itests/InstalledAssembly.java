package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The assembly as an operator installs it: unpacked from the built tar.gz, installed with install.sh into a
 * temporary prefix, with free ports and no remote Maven repository (only system/ serves bundles). Runs
 * bin/outpost there. Either profile: the edge (default) or Outpost Cloud ({@code install.sh --profile cloud}),
 * with helpers for the cloud's REST API and an edge's cloud link.
 */
final class InstalledAssembly {

    /** The profiles of {@code install.sh --profile}. */
    enum Profile { EDGE, CLOUD }

    final Path prefix;
    final Profile profile;
    final ProcessRunner runner;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private InstalledAssembly(Path prefix, Profile profile) {
        this.prefix = prefix;
        this.profile = profile;
        this.runner = new ProcessRunner(prefix.toFile(), Map.of("OUTPOST_START_TIMEOUT", "240"));
    }

    /** The edge profile. */
    static InstalledAssembly install() throws IOException {
        return install(Profile.EDGE);
    }

    /** Installed for the user running the tests ({@code --user}, as root too: the runtime then runs as root). */
    static InstalledAssembly install(Profile profile) throws IOException {
        return install(profile, List.of("--user", System.getProperty("user.name")));
    }

    /**
     * Installed with these further options of install.sh ({@code --profile}, {@code --prefix} and
     * {@code --no-systemd} are given), into a prefix that every user may reach.
     */
    static InstalledAssembly install(Profile profile, List<String> options) throws IOException {
        Path work = Files.createDirectories(Path.of(System.getProperty("project.build.directory", "target"), "e2e"));
        Path unpacked = Files.createTempDirectory(work, "unpacked-");
        Path prefixParent = Files.createTempDirectory(work, "prefix-");
        Files.setPosixFilePermissions(prefixParent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path prefix = prefixParent.resolve(profile == Profile.CLOUD ? "opt/outpost-cloud" : "opt/outpost");
        ProcessRunner here = new ProcessRunner(unpacked.toFile(), Map.of());
        here.run(Duration.ofMinutes(2), "tar", "xzf", assembly().getAbsolutePath(), "-C", unpacked.toString())
                .assertExit(0);
        Path root = Files.list(unpacked).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(List.of(root.resolve("install.sh").toString(), "--profile",
                profile.name().toLowerCase(java.util.Locale.ROOT), "--prefix", prefix.toString(), "--no-systemd"));
        command.addAll(options);
        here.run(Duration.ofMinutes(2), command.toArray(String[]::new)).assertExit(0);
        InstalledAssembly installed = new InstalledAssembly(prefix, profile);
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
        // a feature writes its settings file only when none exists, so these are kept (the rest take defaults)
        if (profile == Profile.CLOUD) {
            rewrite("etc/org.ops4j.pax.web.cfg", Map.of("org.osgi.service.http.port", freePort()));
            rewrite(ENDPOINT_CFG, Map.of("tlsPort", freePort()));
        } else {
            // the hub's MQTT listener
            rewrite("etc/io.outpost.hub.store.cfg", Map.of("mqttTlsPort", freePort()));
        }
    }

    // ---- Outpost Cloud (profile CLOUD) ----

    static final String ENDPOINT_CFG = "etc/io.outpost.cloud.endpoint.cfg";

    /** The cloud's REST API, {@code http://127.0.0.1:<port>/api/v1}. */
    URI apiBase() throws IOException {
        requireProfile(Profile.CLOUD);
        return URI.create("http://127.0.0.1:" + setting("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port")
                + "/api/v1");
    }

    /** The port of the cloud's device endpoint (MQTT over TLS). */
    int endpointPort() throws IOException {
        requireProfile(Profile.CLOUD);
        return Integer.parseInt(setting(ENDPOINT_CFG, "tlsPort"));
    }

    /** Applies fleet deployments every {@code seconds} (default 30), so that tag changes move devices sooner. */
    void fleetApplySecs(int seconds) throws IOException {
        requireProfile(Profile.CLOUD);
        rewrite(ENDPOINT_CFG, Map.of("fleetApplySecs", Integer.toString(seconds)));
    }

    /** The initial admin token, {@code etc/outpost-cloud.token}, waiting up to {@code timeout} for its first start. */
    String adminToken(Duration timeout) throws IOException, InterruptedException {
        requireProfile(Profile.CLOUD);
        Path file = prefix.resolve("etc/outpost-cloud.token");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.isRegularFile(file) || Files.readString(file).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no admin token in " + file + " after " + timeout);
            }
            Thread.sleep(250);
        }
        return Files.readString(file).strip();
    }

    /** The cloud CA certificate its endpoint writes for edges, waiting up to {@code timeout} for it. */
    Path trustBundle(Duration timeout) throws IOException, InterruptedException {
        requireProfile(Profile.CLOUD);
        Path file = prefix.resolve("data/outpost/cloud/endpoint/trust-bundle.pem");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.isRegularFile(file) || !Files.readString(file).contains("END CERTIFICATE")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the cloud endpoint wrote no trust bundle at " + file + " in " + timeout);
            }
            Thread.sleep(250);
        }
        return file;
    }

    /**
     * Calls the REST API with a bearer token: {@code api("POST", "/devices", token, "{...}")}. A null body sends
     * none; the answer's body is text.
     */
    HttpResponse<String> api(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiBase() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #api} that requires one of the expected statuses and returns the body. */
    String apiExpect(String method, String path, String token, String body, int... expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = api(method, path, token, body);
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }

    // ---- the edge's cloud link (profile EDGE) ----

    /**
     * Points this edge's cloud link at {@code cloud} with a SAS key: the connection string in
     * {@code etc/cloud-connection-string} (mode 600), the cloud's trust bundle copied to
     * {@code etc/cloud-trust-bundle.pem}, and {@code etc/io.outpost.cloud.link.cfg} naming both and the cloud's
     * endpoint port, plus {@code extra} settings of the link (e.g. a short {@code backoffMaxMs}). A running edge
     * starts its link when the file is saved.
     */
    void linkTo(InstalledAssembly cloud, String deviceId, String primaryKey, Map<String, String> extra)
            throws IOException, InterruptedException {
        link(cloud, "HostName=outpost-cloud;DeviceId=" + deviceId + ";SharedAccessKey=" + primaryKey, extra);
    }

    /**
     * Points this edge's cloud link at {@code cloud} with {@code auth = x509}, like {@link #linkTo} but with a
     * connection string without key: the running link creates its self-signed device certificate
     * ({@code etc/cloud-device-cert.pem}), which {@code edge:cloud-cert} shows for registration in the cloud.
     */
    void linkWithCertificate(InstalledAssembly cloud, String deviceId, Map<String, String> extra)
            throws IOException, InterruptedException {
        Map<String, String> link = new LinkedHashMap<>(extra);
        link.put("auth", "x509");
        link(cloud, "HostName=outpost-cloud;DeviceId=" + deviceId, link);
    }

    private void link(InstalledAssembly cloud, String connectionString, Map<String, String> extra)
            throws IOException, InterruptedException {
        requireProfile(Profile.EDGE);
        Path etc = prefix.resolve("etc");
        Path trust = etc.resolve("cloud-trust-bundle.pem");
        Files.copy(cloud.trustBundle(Duration.ofMinutes(4)), trust, StandardCopyOption.REPLACE_EXISTING);
        Path connection = etc.resolve("cloud-connection-string");
        Files.deleteIfExists(connection);
        Files.createFile(connection, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(connection, connectionString + "\n");
        Map<String, String> link = new LinkedHashMap<>(extra);
        link.put("connectionStringFile", connection.toString());
        link.put("trustBundleFile", trust.toString());
        link.put("cloudHost", "127.0.0.1");
        link.put("cloudPort", Integer.toString(cloud.endpointPort()));
        rewrite("etc/io.outpost.cloud.link.cfg", link);
    }

    /** Kills the runtime's JVM with SIGKILL (a power cut, as far as the runtime can tell) and waits until it is gone. */
    void killRuntime() {
        ProcessRunner ps = new ProcessRunner(prefix.toFile(), Map.of());
        String pids = ps.run(Duration.ofSeconds(30), "pgrep", "-f", "karaf.home=" + prefix).output().trim();
        assertTrue("the runtime's JVM found", !pids.isEmpty());
        for (String pid : pids.split("\\s+")) {
            ps.run(Duration.ofSeconds(30), "kill", "-9", pid).assertExit(0);
        }
        await("runtime gone").atMost(Duration.ofMinutes(1)).until(() ->
                ps.run(Duration.ofSeconds(30), "pgrep", "-f", "karaf.home=" + prefix).exitCode() != 0);
    }

    /** The hub's MQTT over TLS port (profile EDGE). */
    int hubPort() throws IOException {
        requireProfile(Profile.EDGE);
        return Integer.parseInt(setting("etc/io.outpost.hub.store.cfg", "mqttTlsPort"));
    }

    private void requireProfile(Profile expected) {
        if (profile != expected) {
            throw new IllegalStateException("needs the " + expected + " profile; " + prefix + " is " + profile);
        }
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
