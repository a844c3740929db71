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
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("workload/" + module + "/workload.sock")));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            return new String(readAll(ch), StandardCharsets.UTF_8);
        }
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
}
