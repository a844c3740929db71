package io.outpost.metrics.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outpost.common.Backoff;
import io.outpost.common.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on the JDK's HTTP server. A taken port does not fail it: it logs an error and binds again
 * after 5 s, doubled up to 2 minutes, as the hub's MQTT listener does.
 */
final class MetricsServer implements AutoCloseable {

    static final Backoff BIND_RETRY = new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(2));
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final String host;
    private final int port;
    private final Supplier<String> body;
    private final Backoff retryDelays;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-metrics"));
    private volatile HttpServer server;
    private volatile boolean closed;

    MetricsServer(String host, int port, Supplier<String> body, Backoff retryDelays) {
        this.host = host;
        this.port = port;
        this.body = body;
        this.retryDelays = retryDelays;
        scheduler.execute(() -> bind(0));
    }

    /** The bound port, or -1 while it is not bound. */
    int boundPort() {
        HttpServer current = server;
        return current == null ? -1 : current.getAddress().getPort();
    }

    private void bind(int failures) {
        if (closed) {
            return;
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 16);
            s.createContext("/metrics", this::handle);
            s.setExecutor(scheduler);
            s.start();
            server = s;
            LOG.info("metrics-listener-ready host={} port={}", host, s.getAddress().getPort());
        } catch (IOException e) {
            Duration wait = retryDelays.delay(failures);
            LOG.error("metrics-listener-bind-failed host={} port={} error=\"{}\" retryInSecs={}", host, port,
                    e instanceof BindException ? "address in use" : e.getMessage(), wait.toSeconds());
            scheduler.schedule(() -> bind(failures + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes;
            try {
                bytes = body.get().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                LOG.warn("metrics-scrape-failed error=\"{}\"", e.toString());
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", EdgeMetrics.CONTENT_TYPE);
            if ("HEAD".equals(method)) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        HttpServer current = server;
        if (current != null) {
            current.stop(0);
        }
        scheduler.shutdownNow();
    }
}
