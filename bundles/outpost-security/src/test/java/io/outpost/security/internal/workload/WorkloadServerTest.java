package io.outpost.security.internal.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import io.outpost.security.Identity;
import io.outpost.security.SasToken;
import io.outpost.security.ServerCertificate;
import io.outpost.security.internal.FileIdentityStore;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class WorkloadServerTest {

    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    /** Only the trust bundle is read by the workload API; the certificates themselves are tested elsewhere. */
    private static final CertificateService TRUST = new CertificateService() {
        public String trustBundlePem() {
            return PEM;
        }

        public ServerCertificate serverCertificate() {
            throw new UnsupportedOperationException();
        }

        public KeyStore serverKeyStore(char[] password) {
            throw new UnsupportedOperationException();
        }

        public List<CertificateStatus> status() {
            return List.of();
        }
    };

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private FileIdentityStore identities;
    private WorkloadServer server;
    private Identity filter;

    @BeforeEach
    void start() throws IOException {
        identities = new FileIdentityStore(dir.resolve("identities.properties"), clock);
        filter = identities.moduleIdentity("dev1", "filter");
        identities.moduleIdentity("dev1", "sensor");
        server = new WorkloadServer(dir.resolve("workload"), identities, TRUST);
        server.open("dev1", "filter");
        server.open("dev1", "sensor");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String exchange(String module, String request) throws IOException {
        return exchange(dir.resolve("workload"), module, request);
    }

    private static String exchange(Path root, String module, String request) throws IOException {
        try (SocketChannel ch = connect(root, module)) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            return new String(readAll(ch), StandardCharsets.UTF_8);
        }
    }

    private static SocketChannel connect(Path root, String module) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(root.resolve(module + "/workload.sock")));
        return ch;
    }

    private static byte[] readAll(SocketChannel ch) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (ch.read(buf) >= 0) {
            buf.flip();
            out.write(buf.array(), 0, buf.limit());
            buf.clear();
        }
        return out.toByteArray();
    }

    private static String post(String path, String json) {
        return "POST " + path + " HTTP/1.1\r\nHost: workload\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    private static String signBody(String text) {
        return "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    @Test
    void givenModuleSocket_whenTrustBundleAsked_thenPemIsReturned() throws IOException {
        String response = exchange("filter", "GET /trust-bundle?api-version=2019-01-30 HTTP/1.1\r\nHost: w\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK").contains("\"certificate\":\"-----BEGIN CERTIFICATE-----\\n");
    }

    @Test
    void givenModuleSigningAsTheSdkDoes_whenTokenBuiltFromDigest_thenTheHubAcceptsIt() throws IOException {
        String resource = "myhub/devices/dev1/modules/filter";
        long expiry = clock.now().plus(Duration.ofHours(1)).getEpochSecond();
        String toSign = URLEncoder.encode(resource, StandardCharsets.UTF_8) + "\n" + expiry;

        String response = exchange("filter", post("/modules/filter/genid/" + filter.generationId()
                + "/sign?api-version=2019-01-30", signBody(toSign)));

        assertThat(response).startsWith("HTTP/1.1 200 OK");
        String digest = response.replaceAll("(?s).*\"digest\":\"([^\"]+)\".*", "$1");
        String token = "SharedAccessSignature sr=" + URLEncoder.encode(resource, StandardCharsets.UTF_8) + "&sig="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8) + "&se=" + expiry;
        SasToken.parse(token).verify(resource, filter.primaryKey().orElseThrow(), clock.now());
    }

    @Test
    void givenOtherModulesSocket_whenSigningForFilter_thenForbidden() throws IOException {
        String response = exchange("sensor", post("/modules/filter/genid/" + filter.generationId()
                + "/sign?api-version=2019-01-30", signBody("x")));

        assertThat(response).startsWith("HTTP/1.1 403").contains("may only sign with its own key");
    }

    @Test
    void givenBadRequests_whenSent_thenPreciseErrors() throws IOException {
        String sign = "/modules/filter/genid/" + filter.generationId() + "/sign";
        assertThat(exchange("filter", post(sign, signBody("x")))).startsWith("HTTP/1.1 400").contains("api-version");
        assertThat(exchange("filter", post("/modules/filter/genid/old/sign?api-version=1", signBody("x"))))
                .startsWith("HTTP/1.1 400").contains("genid 'old'");
        assertThat(exchange("filter", post(sign + "?api-version=1", signBody("x").replace("primary", "secondary"))))
                .startsWith("HTTP/1.1 400").contains("keyId must be");
        assertThat(exchange("filter", post(sign + "?api-version=1", "[1,2]"))).startsWith("HTTP/1.1 400")
                .contains("JSON object");
        assertThat(exchange("filter", "GET /nothing?api-version=1 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404");
        assertThat(exchange("filter", "BROKEN\r\n\r\n")).startsWith("HTTP/1.1 400").contains("request line");
        assertThat(exchange("filter", "POST " + sign + "?api-version=1 HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
    }

    @Test
    void givenKeepAlive_whenTwoRequestsOnOneConnection_thenBothAnswered() throws IOException {
        String get = "GET /trust-bundle?api-version=1 HTTP/1.1\r\nHost: w\r\n\r\n";

        String response = exchange("filter", get + get);

        assertThat(response.split("HTTP/1.1 200 OK", -1)).hasSize(3);
    }

    @Test
    void givenRotatedIdentity_whenOldGenerationSigns_thenRefused() throws IOException {
        Identity rotated = identities.rotateModuleIdentity("dev1", "filter");

        assertThat(exchange("filter", post("/modules/filter/genid/" + filter.generationId() + "/sign?api-version=1",
                signBody("x")))).startsWith("HTTP/1.1 400");
        assertThat(exchange("filter", post("/modules/filter/genid/" + rotated.generationId() + "/sign?api-version=1",
                signBody("x")))).startsWith("HTTP/1.1 200");
    }

    @Test
    void givenTwoContentLengths_whenSent_thenRefusedAsAmbiguous() throws IOException {
        String sign = "/modules/filter/genid/" + filter.generationId() + "/sign?api-version=1";
        String body = signBody("x");

        String response = exchange("filter", "POST " + sign + " HTTP/1.1\r\nContent-Length: " + body.length()
                + "\r\nContent-Length: 2\r\n\r\n" + body);

        assertThat(response).startsWith("HTTP/1.1 400").contains("duplicate Content-Length");
        assertThat(exchange("filter", "POST " + sign + " HTTP/1.1\r\nContent-Length: +5\r\n\r\n12345"))
                .startsWith("HTTP/1.1 400").contains("Content-Length '+5'");
    }

    @Test
    void givenWorkloadFolders_whenSocketsOpened_thenOnlyTheRuntimeUserEntersTheRoot() throws IOException {
        Path root = dir.resolve("workload");

        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(root.resolve("filter"))).as("entered by the container's user, not listed").isEqualTo("rwx--x--x");
        assertThat(mode(root.resolve("filter/workload.sock"))).isEqualTo("rw-rw-rw-");
    }

    @Test
    void givenRootFolderOfAnEarlierVersionOpenToAll_whenASocketIsOpened_thenNarrowed() throws IOException {
        Path root = dir.resolve("old-workload");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (WorkloadServer old = new WorkloadServer(root, identities, TRUST)) {
            old.open("dev1", "filter");

            assertThat(mode(root)).isEqualTo("rwx------");
        }
    }

    @Test
    void givenRootFolderIsASymbolicLink_whenASocketIsOpened_thenRefusedNamingTheSetting() throws IOException {
        Path real = Files.createDirectories(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("linked"), real);

        try (WorkloadServer linked = new WorkloadServer(link, identities, TRUST)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> linked.open("dev1", "filter"))
                    .isInstanceOf(IOException.class).hasMessageContaining("symbolic link")
                    .hasMessageContaining("workloadDir");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void givenLocalUserAndContainerOfAnotherUid_whenConnecting_thenOnlyTheContainerReachesItsSocket()
            throws Exception {
        assertThat(ProcessHandle.current().info().user()).as("this test switches users: run it as root, as CI does")
                .hasValue("root");
        Path probe = OtherUser.probe();
        // as in an installation: the runtime's folders on the way to the workload folder are open to all
        Path home = probe.resolveSibling("outpost-home");
        Path root = home.resolve("data/outpost/workload");
        for (Path folder : List.of(home, home.resolve("data"), home.resolve("data/outpost"))) {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String local;
        String container;
        try (WorkloadServer installed = new WorkloadServer(root, identities, TRUST)) {
            Path socket = installed.open("dev1", "filter");

            local = OtherUser.run(probe, socket.toString());
            container = OtherUser.runInMount(probe, socket.getParent());
        } finally {
            OtherUser.deleteAll(probe.getParent());
        }

        assertThat(local).as("a local user on the host").contains("denied");
        assertThat(container).as("the module's container, mounted as Docker does").startsWith("HTTP/1.1 200 OK");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void givenOneModuleHoldingManyIdleConnections_whenAnotherModuleSigns_thenItIsServed() throws Exception {
        Path root = dir.resolve("w2");
        WorkloadSettings settings = new WorkloadSettings(8, 64, 4, Duration.ofMinutes(10));
        List<SocketChannel> idle = new ArrayList<>();
        try (WorkloadServer busy = new WorkloadServer(root, identities, TRUST, settings)) {
            busy.open("dev1", "filter");
            busy.open("dev1", "sensor");
            for (int i = 0; i < 12; i++) {
                idle.add(connect(root, "sensor"));
            }

            String signed = exchange(root, "filter", post("/modules/filter/genid/" + filter.generationId()
                    + "/sign?api-version=2019-01-30", signBody("x")));

            assertThat(signed).startsWith("HTTP/1.1 200 OK");
            for (SocketChannel over : idle.subList(4, 12)) {
                assertThat(new String(readAll(over), StandardCharsets.UTF_8)).startsWith("HTTP/1.1 503")
                        .contains("4 connections open");
            }
        } finally {
            for (SocketChannel ch : idle) {
                ch.close();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void givenAllThreadsBusyAndQueueFull_whenAnotherConnectionComes_thenAnswered503() throws Exception {
        Path root = dir.resolve("w3");
        WorkloadSettings settings = new WorkloadSettings(1, 1, 10, Duration.ofMinutes(10));
        try (WorkloadServer busy = new WorkloadServer(root, identities, TRUST, settings);
                SocketChannel served = connect0(busy, root);
                SocketChannel waiting = connect(root, "sensor")) {

            String refused = exchange(root, "sensor", "GET /trust-bundle?api-version=1 HTTP/1.1\r\n\r\n");

            assertThat(refused).startsWith("HTTP/1.1 503").contains("busy");
        }
    }

    private static SocketChannel connect0(WorkloadServer server, Path root) throws IOException {
        server.open("dev1", "sensor");
        return connect(root, "sensor");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void givenClientSendingHalfARequest_whenTheReadTimeoutPasses_thenTheConnectionIsClosed() throws Exception {
        Path root = dir.resolve("w4");
        WorkloadSettings settings = new WorkloadSettings(2, 4, 4, Duration.ofMillis(200));
        try (WorkloadServer slow = new WorkloadServer(root, identities, TRUST, settings);
                SocketChannel head = connect0(slow, root);
                SocketChannel body = connect(root, "sensor")) {
            head.write(ByteBuffer.wrap("GET /trust-bundle?api-version=1 HTTP/1.1\r\nHo".getBytes(StandardCharsets.UTF_8)));
            body.write(ByteBuffer.wrap(("POST /x?api-version=1 HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}")
                    .getBytes(StandardCharsets.UTF_8)));

            assertThat(readAll(head)).as("closed without an answer").isEmpty();
            assertThat(readAll(body)).as("closed without an answer").isEmpty();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
