package io.outpost.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.common.Backoff;
import io.outpost.common.ManualClock;
import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.Endpoints;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.StoredMessage;
import io.outpost.hub.UpstreamSender;
import io.outpost.hub.UpstreamStatus;
import io.outpost.hub.testing.HubStoreFixture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposition over HTTP on the hub's real store (embedded Artemis) and router. The cloud link, the MQTT
 * listener's client list and the agent need a cloud, TLS identities and a Docker engine: they are stood in for by
 * their small API interfaces ({@link UpstreamSender}, {@link ConnectedClients}, {@link DeploymentService}).
 */
@Tag("integration")
class EdgeMetricsTest {

    private static final String FILTER = Endpoints.moduleInput("filter", "input1");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final HttpClient http = HttpClient.newHttpClient();
    private HubStoreFixture hub;
    private MessageStore store;
    private MessageRouter router;
    private MetricsServer server;
    private Sources sources;

    @BeforeEach
    void open() {
        hub = HubStoreFixture.open(dir.resolve("store"), clock);
        store = hub.store();
        router = hub.newRouter();
        sources = new Sources();
        sources.store = store;
        sources.router = router;
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        hub.close();
    }

    @Test
    void givenRoutedAndExpiredMessages_whenScraped_thenQueueLengthsDropsAndCountsHaveAzureNames() throws Exception {
        router.putRoute(new RouteDefinition("up", "FROM /messages/modules/sensor/* INTO $upstream", 1, 3600,
                RouteDefinition.FROM_SHELL));
        router.putRoute(new RouteDefinition("filter", "FROM /messages/modules/sensor/* INTO "
                + "BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 4, 10, RouteDefinition.FROM_SHELL));
        for (int i = 0; i < 3; i++) {
            router.route(IncomingMessage.fromModule("sensor", "out", text("m" + i)));
        }
        router.route(IncomingMessage.fromModule("other", "out", text("nowhere")));
        clock.advance(Duration.ofSeconds(11));
        List<StoredMessage> none = store.poll(FILTER, 10, Duration.ZERO);
        assertThat(none).isEmpty();

        Map<String, Double> m = scrape(start());

        assertThat(m).containsEntry("edgehub_queue_length{endpoint=\"$upstream\",priority=\"1\"}", 3.0)
                .containsEntry("edgehub_queue_length{endpoint=\"$upstream\",priority=\"0\"}", 0.0)
                .containsEntry("edgehub_queue_length{endpoint=\"" + FILTER + "\",priority=\"4\"}", 0.0)
                .containsEntry("edgehub_messages_dropped_total{reason=\"ttl_expiry\"}", 3.0)
                .containsEntry("edgehub_messages_dropped_total{reason=\"no_route\"}", 1.0)
                .containsEntry("edgehub_messages_dropped_total{reason=\"queue_full\"}", 0.0)
                .containsEntry("edgehub_messages_dropped_total{reason=\"invalid\"}", 0.0)
                .containsEntry("edgehub_messages_received_total", 4.0);
        assertThat(m.keySet().stream().filter(k -> k.startsWith("edgehub_queue_length{endpoint=\"$upstream\"")))
                .hasSize(10);
        assertThat(m.get("edgeAgent_used_memory_bytes{module_name=\"edgeAgent\"}")).isPositive();
        assertThat(m.get("edgeAgent_available_disk_space_bytes{disk_name=\"" + dir + "\"}")).isPositive();
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("edgehub_connected_clients")
                || k.startsWith("edgehub_offline") || k.startsWith("edgeAgent_module"));
    }

    @Test
    void givenCloudLinkClientsAndAgent_whenScraped_thenOfflineTimeClientsAndModulesAreReported() throws Exception {
        Instant since = clock.now();
        sources.upstream = new Upstream(new UpstreamStatus("127.0.0.1:8884 edge-1", false, Optional.of(since),
                Duration.ofMillis(90_500), 2, 17, "connection refused"));
        sources.clients = () -> List.of(client("edge-1/sensor"), client("leaf-1"));
        ModuleStatus sensor = new ModuleStatus("sensor", "running", RuntimeStatus.RUNNING, "", 0, 3,
                Optional.of(since), Optional.empty(), Optional.empty(), "outpost/sensor:1", "always", 1,
                Optional.empty());
        ModuleStatus filter = new ModuleStatus("filter", "running", RuntimeStatus.BACKOFF, "back-off", 1, 5,
                Optional.empty(), Optional.of(since), Optional.empty(), "outpost/filter:1", "always", 2,
                Optional.empty());
        sources.deployments = new Agent(new DeploymentStatus("v1", DeploymentStatus.OK, "", Optional.of("v1"),
                Optional.of(since), List.of(sensor, filter)));

        Map<String, Double> m = scrape(start());

        assertThat(m).containsEntry("edgehub_connected_clients", 2.0)
                .containsEntry("edgehub_offline_count_total", 2.0)
                .containsEntry("edgehub_offline_duration_seconds", 90.5)
                .containsEntry("edgehub_upstream_connected", 0.0)
                .containsEntry("edgehub_messages_sent_total{to=\"$upstream\"}", 17.0)
                .containsEntry("edgeAgent_module_restart_count{module_name=\"sensor\"}", 3.0)
                .containsEntry("edgeAgent_module_restart_count{module_name=\"filter\"}", 5.0)
                .containsEntry("edgeAgent_module_running{module_name=\"sensor\"}", 1.0)
                .containsEntry("edgeAgent_module_running{module_name=\"filter\"}", 0.0)
                .containsEntry("edgeAgent_deployment_status_code", 200.0);
    }

    @Test
    void givenOtherPathOrMethod_whenRequested_thenNotFoundOrNotAllowed() throws Exception {
        int port = start();
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void givenPortTaken_whenStarted_thenNotBoundAndBindsOnceThePortIsFree() throws Exception {
        ServerSocket taken = new ServerSocket();
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = taken.getLocalPort();
        server = new MetricsServer("127.0.0.1", port, new EdgeMetrics(sources)::scrape,
                new Backoff(Duration.ofMillis(200), 1.0, Duration.ofMillis(200)));
        // unbound through three retries, not merely at the end of a pause
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> server.boundPort() == -1);

        taken.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.boundPort() == port);
        assertThat(scrape(port)).containsKey("edgehub_messages_received_total");
    }

    // ---- helpers

    private int start() {
        server = new MetricsServer("127.0.0.1", 0, new EdgeMetrics(sources)::scrape, MetricsServer.BIND_RETRY);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.boundPort() > 0);
        return server.boundPort();
    }

    /** GETs /metrics and parses Prometheus' text format into series (name and labels) and values. */
    private Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> series = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line %s", line).isTrue();
            series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return series;
    }

    private static Message text(String body) {
        return new Message(Map.of("$.ct", "text/plain"), Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    private ClientConnection client(String identity) {
        return new ClientConnection(identity, "mqtt", true, "127.0.0.1:40000", clock.now(), Optional.empty(),
                Set.of());
    }

    private final class Sources implements MetricSources {
        MessageStore store;
        MessageRouter router;
        ConnectedClients clients;
        UpstreamSender upstream;
        DeploymentService deployments;

        @Override
        public Optional<MessageStore> store() {
            return Optional.ofNullable(store);
        }

        @Override
        public Optional<MessageRouter> router() {
            return Optional.ofNullable(router);
        }

        @Override
        public Optional<ConnectedClients> clients() {
            return Optional.ofNullable(clients);
        }

        @Override
        public Optional<UpstreamSender> upstream() {
            return Optional.ofNullable(upstream);
        }

        @Override
        public Optional<DeploymentService> deployments() {
            return Optional.ofNullable(deployments);
        }

        @Override
        public Path dataDir() {
            return dir;
        }
    }

    private record Upstream(UpstreamStatus status) implements UpstreamSender {
        @Override
        public void send(StoredMessage message) {
            throw new UnsupportedOperationException("not sent in this test");
        }
    }

    private record Agent(DeploymentStatus status) implements DeploymentService {
        @Override
        public DeploymentStatus apply(DesiredState desired) {
            return status;
        }

        @Override
        public void restartModule(String name) {
        }
    }
}
