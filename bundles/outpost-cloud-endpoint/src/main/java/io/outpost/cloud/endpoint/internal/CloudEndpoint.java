package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import io.outpost.pki.ServerCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device endpoint, built without OSGi (the DS component and tests start it the same way): the cloud CA and
 * server certificate (generated in {@code dataDir/ca} on first start), the trust bundle file for edges, the dialect
 * server on the TLS port, the desired-properties watcher and the periodic fleet application.
 */
final class CloudEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudEndpoint.class);
    static final Duration CA_VALIDITY = Duration.ofDays(1825);
    static final Duration SERVER_VALIDITY = Duration.ofDays(90);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final char[] KEY_STORE_PASSWORD = "outpost-cloud-endpoint".toCharArray();

    private final DialectServer server;
    private final ExecutorService db;
    private final ExecutorService states;
    private final ScheduledExecutorService timers;
    private final EndpointMessaging messaging;
    private final DesiredWatcher watcher;

    private CloudEndpoint(DialectServer server, ExecutorService db, ExecutorService states,
            ScheduledExecutorService timers, DesiredWatcher watcher, C2dDelivery c2d) {
        this.server = server;
        this.db = db;
        this.states = states;
        this.timers = timers;
        this.watcher = watcher;
        this.messaging = new EndpointMessaging(server, c2d);
    }

    /**
     * The endpoint without a cloud-to-device queue: a message then reaches only a device connected and subscribed
     * to this node (completing on its PUBACK), fails NOT_FOUND otherwise, and device queues list empty. Only tests
     * that need no queue start it so.
     */
    /** Starts the endpoint; cloud-to-device messages wait in the durable queues of {@code c2dQueue}. */
    static CloudEndpoint start(EndpointSettings settings, DeviceRegistry registry, TwinService twins,
            FleetDeploymentService fleet, TelemetryStore telemetry, CloudToDeviceQueue c2dQueue,
            C2dSettings c2dSettings, Clock clock) throws Exception {
        ServerCertificates certificates = ServerCertificates.open(new ServerCertificates.Settings(
                settings.dataDir().resolve("ca"), "Outpost Cloud CA " + settings.hostnames().get(0),
                settings.hostnames(), CA_VALIDITY, SERVER_VALIDITY, RENEW_BEFORE, Optional.empty(), Optional.empty()),
                clock);
        writeTrustBundle(settings.trustBundleFile(), certificates.trustBundlePem());
        ExecutorService db = Executors.newFixedThreadPool(settings.dbThreads(), DaemonThreads.named("outpost-endpoint-db"));
        ExecutorService states = Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-endpoint-state"));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("outpost-endpoint-timers"));
        DesiredWatcher.Pusher[] pusher = new DesiredWatcher.Pusher[1];
        DesiredWatcher watcher = new DesiredWatcher(twins, (t, v, p) -> pusher[0].push(t, v, p));
        CloudDialectHost host = new CloudDialectHost(registry, twins, fleet, telemetry,
                new Authenticator(registry, settings.hubHostName(), settings.maxTokenLifetime()), watcher, clock, db, states,
                settings.touchEvery().toNanos());
        C2dDelivery c2d = new C2dDelivery(c2dQueue, c2dSettings, clock, db);
        DialectSettings dialect = DialectSettings.defaults()
                .withTls(settings.host(), settings.tlsPort(), certificates::serverKeyStore)
                .withMaxConnections(settings.maxConnections())
                // fleets behind one NAT (and the fleet benchmark, from one host) share an address: connections per
                // address are bounded by the total only; pre-authentication limits stay at the dialect's defaults
                .withConnectLimits(settings.maxConnections(), DialectSettings.DEFAULT_MAX_CONNECT_PACKET_BYTES,
                        DialectSettings.DEFAULT_MAX_PENDING_AUTHENTICATIONS,
                        DialectSettings.DEFAULT_BUSY_UNAUTHENTICATED, DialectSettings.DEFAULT_BUSY_CONNECT_TIMEOUT);
        DialectServer server;
        try {
            server = DialectServer.start(dialect, new C2dHost(host, c2d));
        } catch (Exception e) {
            db.shutdownNow();
            states.shutdownNow();
            timers.shutdownNow();
            throw e;
        }
        pusher[0] = server::pushDesired;
        CloudEndpoint endpoint = new CloudEndpoint(server, db, states, timers, watcher, c2d);
        c2d.attach(server);
        long sweep = c2dSettings.sweep().toMillis();
        timers.scheduleWithFixedDelay(c2d::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        long poll = settings.desiredPoll().toMillis();
        timers.scheduleWithFixedDelay(watcher::poll, poll, poll, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> applyFleet(fleet), 0, settings.fleetApply().toSeconds(), TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(() -> renew(certificates, server), 1, 1, TimeUnit.HOURS);
        LOG.info("cloud-endpoint-started host={} port={} hostnames={} trustBundle={}", settings.host(),
                server.tlsPort(), settings.hostnames(), settings.trustBundleFile());
        return endpoint;
    }

    private static void applyFleet(FleetDeploymentService fleet) {
        try {
            int changed = fleet.applyAll();
            if (changed > 0) {
                LOG.info("fleet-applied devicesChanged={}", changed);
            }
        } catch (RuntimeException e) {
            LOG.warn("fleet-apply-failed error=\"{}\"", e.getMessage());
        }
    }

    private static void renew(ServerCertificates certificates, DialectServer server) {
        try {
            if (certificates.renewIfNeeded()) {
                server.reloadCertificate();
            }
        } catch (Exception e) {
            LOG.warn("endpoint-certificate-renewal-failed", e);
        }
    }

    /** Writes the CA certificate that edges trust, replacing the file atomically. */
    static void writeTrustBundle(Path file, String pem) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "trust-bundle", ".tmp");
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trust bundle " + file, e);
        }
    }

    int port() {
        return server.tlsPort();
    }

    CloudMessaging messaging() {
        return messaging;
    }

    DesiredWatcher watcher() {
        return watcher;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        server.close();
        db.shutdown();
        states.shutdown();
        try {
            if (!db.awaitTermination(10, TimeUnit.SECONDS) || !states.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("cloud-endpoint-store-work-still-running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("cloud-endpoint-stopped");
    }
}
