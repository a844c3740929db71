package io.outpost.cloud.web.internal;

import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.cloud.web.IssuedToken;
import io.outpost.cloud.web.TokenScope;
import io.outpost.common.SystemClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * A running cloud for tests: the real store on H2 in file mode, the real token file, and the bundle's servlets
 * in a real Jetty 9.4 (the server Karaf's http feature runs) on a free port of 127.0.0.1, mapped as the HTTP
 * Whiteboard maps them.
 */
final class CloudServer implements AutoCloseable {

    final Path dir;
    final CloudStoreFixture store;
    final FileTokenStore tokens;
    final IssuedToken admin;
    final IssuedToken reader;
    final URI base;
    /** The device endpoint's messaging, when a test runs one; null: method calls answer 503. */
    volatile io.outpost.cloud.CloudMessaging messaging;
    private final Server jetty;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    CloudServer(Path dir) throws Exception {
        this.dir = dir;
        this.store = CloudStoreFixture.openH2(dir.resolve("db/registry"), 4, 1000, SystemClock.INSTANCE);
        this.tokens = new FileTokenStore(dir.resolve("etc/outpost-cloud.tokens"), SystemClock.INSTANCE);
        this.admin = tokens.create(TokenScope.ADMIN, "test admin");
        this.reader = tokens.create(TokenScope.READ, "test reader");
        CloudApi api = new CloudApi(store.registry(), store.twins(), store.deployments(), store.telemetry(),
                () -> messaging);
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // above the 64 KiB cloud-to-device limit, so that its own refusal (400 naming body) is reachable
        context.addServlet(new ServletHolder(new ApiServlet(api, tokens, 256 * 1024)), "/api/v1/*");
        context.addServlet(new ServletHolder(new DashboardServlet()), "/dashboard/*");
        jetty.setHandler(context);
        jetty.start();
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        base = URI.create("http://127.0.0.1:" + port);
    }

    HttpResponse<String> send(String method, String path, String token, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        return send("GET", path, token, null);
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        store.close();
    }
}
