package io.outpost.metrics.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.ModuleStatus;
import io.outpost.hub.MessageStore;
import io.outpost.hub.Priorities;
import io.outpost.hub.QueueStats;
import io.outpost.hub.RouterStats;
import io.outpost.hub.UpstreamStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's metrics under Azure IoT Edge's names, in Prometheus' text format. Every scrape reads the services
 * afresh into a new Micrometer registry: endpoints, priorities and modules come and go with deployments, and a
 * series disappears with its endpoint or module instead of lingering with a stale value. Counters are the
 * services' own totals since they started (a restart of the runtime starts them again at zero, which Prometheus'
 * {@code rate()} handles as a counter reset).
 */
final class EdgeMetrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeMetrics.class);

    private final MetricSources sources;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    EdgeMetrics(MetricSources sources) {
        this.sources = Objects.requireNonNull(sources, "sources");
    }

    /** One scrape: every metric whose source is there, in Prometheus' text format 0.0.4. */
    synchronized String scrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<Object> keep = new ArrayList<>();
        try {
            hub(registry, keep);
            agent(registry, keep);
            return registry.scrape(CONTENT_TYPE);
        } finally {
            Reference.reachabilityFence(keep);
            registry.close();
        }
    }

    private void hub(MeterRegistry registry, List<Object> keep) {
        long expired = 0;
        long dropped = 0;
        long deadLettered = 0;
        boolean haveStore = false;
        MessageStore store = sources.store().orElse(null);
        if (store != null) {
            haveStore = true;
            // the routes' endpoints too: a queue that has never held a message shows as 0, not as missing
            TreeSet<String> endpoints = new TreeSet<>(store.endpoints());
            sources.router().ifPresent(r -> endpoints.addAll(r.endpoints()));
            for (String endpoint : endpoints) {
                QueueStats stats = store.stats(endpoint);
                for (int p = 0; p < Priorities.LEVELS; p++) {
                    long length = stats.length(p);
                    Gauge.builder("edgehub_queue_length", () -> length)
                            .description("Messages held for an endpoint at a priority, delivered and unacknowledged "
                                    + "ones included")
                            .tags(Tags.of("endpoint", endpoint, "priority", Integer.toString(p)))
                            .register(registry);
                }
                expired += stats.expiredTotal();
                dropped += stats.droppedTotal();
                deadLettered += stats.deadLetteredTotal();
            }
        }
        RouterStats routing = sources.router().map(r -> r.stats()).orElse(null);
        if (haveStore) {
            counter(registry, keep, "edgehub_messages_dropped", "Messages the hub removed without delivering them",
                    expired, Tags.of("reason", "ttl_expiry"));
            counter(registry, keep, "edgehub_messages_dropped", "Messages the hub removed without delivering them",
                    dropped, Tags.of("reason", "queue_full"));
            counter(registry, keep, "edgehub_messages_dropped", "Messages the hub removed without delivering them",
                    deadLettered, Tags.of("reason", "invalid"));
        }
        if (routing != null) {
            counter(registry, keep, "edgehub_messages_dropped", "Messages the hub removed without delivering them",
                    routing.unroutedTotal(), Tags.of("reason", "no_route"));
            counter(registry, keep, "edgehub_messages_received", "Messages the router took from modules and devices",
                    routing.routedTotal() + routing.unroutedTotal(), Tags.empty());
        }
        sources.clients().ifPresent(c -> {
            int connected = c.list().size();
            Gauge.builder("edgehub_connected_clients", () -> connected)
                    .description("Modules and leaf devices connected to the hub now").register(registry);
        });
        UpstreamStatus upstream = sources.upstream().map(u -> u.status()).orElse(null);
        if (upstream != null) {
            counter(registry, keep, "edgehub_messages_sent", "Messages the cloud acknowledged", upstream.sent(),
                    Tags.of("to", "$upstream"));
            counter(registry, keep, "edgehub_offline_count", "Times the cloud link lost its connection",
                    upstream.outages(), Tags.empty());
            double offlineSeconds = upstream.offlineTotal().toMillis() / 1000.0;
            Gauge.builder("edgehub_offline_duration_seconds", () -> offlineSeconds)
                    .description("Seconds the cloud link was offline since it started, the current outage included")
                    .register(registry);
            int connected = upstream.connected() ? 1 : 0;
            Gauge.builder("edgehub_upstream_connected", () -> connected)
                    .description("1 while the cloud link is connected, else 0").register(registry);
        }
    }

    private void agent(MeterRegistry registry, List<Object> keep) {
        sources.deployments().ifPresent(d -> {
            DeploymentStatus status = d.status();
            for (ModuleStatus module : status.modules()) {
                int restarts = module.restartCount();
                Gauge.builder("edgeAgent_module_restart_count", () -> restarts)
                        .description("Restarts of a module since its count was last cleared (edgeAgent's "
                                + "restartCount)")
                        .tags(Tags.of("module_name", module.name())).register(registry);
                int running = module.runtimeStatus() == io.outpost.deployment.RuntimeStatus.RUNNING ? 1 : 0;
                Gauge.builder("edgeAgent_module_running", () -> running)
                        .description("1 while a module's runtime status is running, else 0")
                        .tags(Tags.of("module_name", module.name())).register(registry);
            }
            int code = status.code();
            Gauge.builder("edgeAgent_deployment_status_code", () -> code)
                    .description("edgeAgent's lastDesiredStatus.code: 200 ok, 406 no deployment yet, 500 failure")
                    .register(registry);
        });
        long used = memory.getHeapMemoryUsage().getUsed() + memory.getNonHeapMemoryUsage().getUsed();
        Gauge.builder("edgeAgent_used_memory_bytes", () -> used)
                .description("Heap and non-heap memory the Outpost runtime (agent and hub, one JVM) uses")
                .tags(Tags.of("module_name", "edgeAgent")).register(registry);
        Path dir = sources.dataDir();
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                FileStore fs = Files.getFileStore(existing);
                long available = fs.getUsableSpace();
                long total = fs.getTotalSpace();
                Tags disk = Tags.of("disk_name", dir.toString());
                Gauge.builder("edgeAgent_available_disk_space_bytes", () -> available)
                        .description("Bytes available to Outpost on the data directory's file system")
                        .tags(disk).register(registry);
                Gauge.builder("edgeAgent_total_disk_space_bytes", () -> total)
                        .description("Size of the data directory's file system").tags(disk).register(registry);
            }
        } catch (IOException e) {
            LOG.debug("metrics-disk-unreadable dir={} error=\"{}\"", dir, e.getMessage());
        }
    }

    /** A counter whose value is a service's total; Prometheus' name gets the {@code _total} suffix. */
    private static void counter(MeterRegistry registry, List<Object> keep, String name, String description,
            long value, Tags tags) {
        long[] holder = {value};
        keep.add(holder);
        FunctionCounter.builder(name, holder, h -> h[0]).description(description).tags(tags).register(registry);
    }
}
