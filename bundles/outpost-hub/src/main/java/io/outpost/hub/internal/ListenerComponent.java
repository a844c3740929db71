package io.outpost.hub.internal;

import io.outpost.common.Backoff;
import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.Endpoints;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import io.outpost.security.CertificateService;
import io.outpost.security.IdentityService;
import io.outpost.security.ModuleProvisioning;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's MQTT listener: the IoT Hub dialect server of {@code outpost-iothub} with the edge hub as its host
 * ({@link EdgeHost}), on the {@code mqtt*} settings of {@link HubConfig}. It runs only while the security services
 * (identities, the hub's certificate) are there; without them there is no listener. A taken port does not fail
 * the component: it binds again with a backoff ({@link #LISTEN_RETRY}). It needs the {@link MessageRouter}, which
 * is registered only once the last-good deployment's routes are loaded, so it never opens with an empty route
 * table. Publishes {@link ConnectedClients}, and the internal {@link HubListener} through which the bundle's other
 * components reach the live server. Twin requests of clients are served from the {@link TwinStore} and run on the
 * listener's worker thread ({@code outpost-hub-dialect}); telemetry is routed on the network threads.
 */
@Component(immediate = true, service = {ConnectedClients.class, HubListener.class}, configurationPid = HubConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ListenerComponent implements ConnectedClients, HubListener {

    static final int WORK_QUEUE = 20_000;
    /** Waits between attempts to bind a taken listener port: 5 s doubled up to 2 minutes. */
    static final Backoff LISTEN_RETRY = new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(2));
    private static final Logger LOG = LoggerFactory.getLogger(ListenerComponent.class);

    private final ThreadPoolExecutor worker;
    private final Duration deliveryTimeout;
    /** The listener; null while it is off or its port is taken (then {@link #retry} binds it again). */
    private volatile DialectServer server;
    private volatile ScheduledExecutorService retry;
    private volatile boolean closed;

    @Activate
    public ListenerComponent(HubConfig config, @Reference MessageRouter router, @Reference TwinStore twins,
            @Reference MessageStore store,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CertificateService certificates,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            IdentityService identities,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ModuleProvisioning provisioning,
            @Reference Clock clock) throws Exception {
        MqttSettings settings = MqttSettings.from(config);
        this.deliveryTimeout = settings.deliveryTimeout();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(WORK_QUEUE),
                DaemonThreads.named("outpost-hub-dialect"));
        if (certificates == null || identities == null) {
            LOG.info("mqtt-listener-off reason=\"the security services (outpost-security) are not available\"");
            this.server = null;
            return;
        }
        Optional<String> hubName = Optional.of(settings.hubHostName()).filter(h -> !h.isEmpty())
                .or(() -> Optional.ofNullable(provisioning).map(p -> p.hubNames().iotHubHostName()));
        EdgeAuthenticator authenticator = new EdgeAuthenticator(identities, clock, hubName,
                () -> trustedCas(certificates, settings.clientCaFile()), settings.maxTokenLifetime());
        DialectSettings dialect = settings.dialect(certificates::serverKeyStore);
        EdgeHost host = new EdgeHost(authenticator, router, twins, worker, clock, module -> wakeInputs(store, module));
        String hubLabel = hubName.orElse("*");
        try {
            listen(dialect, host, hubLabel);
        } catch (BindException e) {
            // a taken port must not take the hub down: routing and store-and-forward go on, the listener retries
            this.retry = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-hub-listener"));
            scheduleRetry(dialect, host, hubLabel, 0, e);
        } catch (Exception | Error e) {
            worker.shutdownNow();
            throw e;
        }
    }

    /** A module subscribed to its inputs: their pumps, if backing off, try again now. */
    static void wakeInputs(MessageStore store, String module) {
        for (String endpoint : store.endpoints()) {
            if (Endpoints.isModuleInput(endpoint) && Endpoints.module(endpoint).equals(module)) {
                store.wakeUp(endpoint);
            }
        }
    }

    /** For tests: the component over a server and worker made outside OSGi. */
    ListenerComponent(DialectServer server, ThreadPoolExecutor worker, Duration deliveryTimeout) {
        this.server = server;
        this.worker = worker;
        this.deliveryTimeout = deliveryTimeout;
    }

    private void listen(DialectSettings dialect, EdgeHost host, String hubLabel) throws Exception {
        try {
            DialectServer started = DialectServer.start(dialect, host);
            this.server = started;
            LOG.info("mqtt-listener-ready hub={} tlsPort={} plainPort={}", hubLabel, started.tlsPort(),
                    started.plainPort());
        } catch (Exception e) {
            BindException bind = bindFailure(e);
            throw bind != null ? bind : e;
        }
    }

    private void scheduleRetry(DialectSettings dialect, EdgeHost host, String hubLabel, int failures,
            Exception cause) {
        Duration wait = LISTEN_RETRY.delay(failures);
        LOG.error("mqtt-listener-bind-failed host={} tlsPort={} plainPort={} error=\"{}\" retryInSecs={}",
                dialect.host(), dialect.tlsPort(), dialect.plainPort(), cause.getMessage(), wait.toSeconds());
        retry.schedule(() -> {
            if (closed) {
                return;
            }
            try {
                listen(dialect, host, hubLabel);
            } catch (Exception e) {
                if (!closed) {
                    scheduleRetry(dialect, host, hubLabel, failures + 1, e);
                }
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The bind failure behind an exception, if that is what it is. */
    static BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }

    /** The edge CA's trust bundle and the operator's extra client CAs (PEM). */
    static Collection<X509Certificate> trustedCas(CertificateService certificates, String clientCaFile) {
        List<X509Certificate> cas = new ArrayList<>(parse(certificates.trustBundlePem()));
        if (!clientCaFile.isEmpty()) {
            try {
                cas.addAll(parse(Files.readString(Path.of(clientCaFile), StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                LOG.warn("mqtt-client-ca-unreadable file={} error=\"{}\"", clientCaFile, e.getMessage());
            }
        }
        return cas;
    }

    private static List<X509Certificate> parse(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (CertificateException e) {
            LOG.warn("mqtt-client-ca-unparsable error=\"{}\"", e.getMessage());
        }
        return out;
    }

    @Deactivate
    void deactivate() {
        closed = true;
        if (retry != null) {
            retry.shutdownNow();
        }
        DialectServer current = server;
        server = null;
        if (current != null) {
            current.close();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- services

    @Override
    public Optional<DialectServer> server() {
        return Optional.ofNullable(server);
    }

    @Override
    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    @Override
    public List<ClientConnection> list() {
        DialectServer current = server;
        if (current == null) {
            return List.of();
        }
        return current.clients().stream().map(c -> new ClientConnection(c.identity().name(), c.protocol(), c.tls(),
                c.remoteAddress(), c.connectedSince(), c.expiresAt(), c.subscriptions())).toList();
    }
}
