package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.IotMessage;
import io.outpost.iothub.DialectServer;
import io.outpost.common.Backoff;
import io.outpost.iothub.DialectSettings;
import java.net.BindException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.outpost.iothub.MethodResult;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ManifestParser;
import io.outpost.manifest.ValidationResult;
import io.outpost.security.CertificateService;
import io.outpost.security.IdentityService;
import io.outpost.security.ModuleProvisioning;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's MQTT listener: the IoT Hub dialect server of {@code outpost-iothub} with the edge hub as its host
 * (settings {@code mqtt*} of the store's configuration, {@link MessageStoreComponent}). It runs only while the
 * security services (identities, the hub's certificate) are there; without them there is no listener, but twins
 * are still kept. Publishes {@link ConnectedClients}, {@link Twins} and {@link MethodInvoker}, and, as a
 * {@link DeploymentListener}, takes each module's desired properties from the running deployment and pushes a
 * change to the connected module. Module inputs are delivered through it ({@link ModuleInputDelivery}).
 */
@Component(immediate = true, service = {ConnectedClients.class, Twins.class, MethodInvoker.class,
        io.outpost.hub.CloudToDevice.class, DeploymentListener.class})
public class IotHubComponent implements ConnectedClients, Twins, MethodInvoker, io.outpost.hub.CloudToDevice,
        DeploymentListener {

    static final int WORK_QUEUE = 20_000;
    /** Waits between attempts to bind a taken listener port: 5 s doubled up to 2 minutes. */
    static final Backoff LISTEN_RETRY = new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(2));
    private static final Logger LOG = LoggerFactory.getLogger(IotHubComponent.class);

    private final ModuleInputDelivery inputs;
    private final EdgeTwins twins;
    private final ThreadPoolExecutor worker;
    /** The listener; null while it is off or its port is taken (then {@link #retry} binds it again). */
    private volatile DialectServer server;
    private volatile ScheduledExecutorService retry;
    private volatile boolean closed;

    @Activate
    public IotHubComponent(@Reference MessageStore store, @Reference MessageRouter router,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CertificateService certificates,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            IdentityService identities,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ModuleProvisioning provisioning,
            @Reference Clock clock) throws Exception {
        if (!(store instanceof MessageStoreComponent hub)) {
            throw new IllegalStateException("the MQTT listener runs on the hub's own store, not on " + store);
        }
        this.inputs = hub.moduleInputs();
        this.twins = new EdgeTwins(hub.settings().dataDir().resolve("twins"));
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(WORK_QUEUE),
                DaemonThreads.named("outpost-hub-dialect"));
        MqttSettings settings = hub.mqttSettings();
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
        EdgeHost host = new EdgeHost(authenticator, router, twins, worker, clock);
        String hubLabel = hubName.orElse("*");
        try {
            listen(dialect, host, settings.deliveryTimeout(), hubLabel);
        } catch (BindException e) {
            // a taken port must not take the hub down: routing and store-and-forward go on, the listener retries
            this.retry = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-hub-listener"));
            scheduleRetry(dialect, host, settings.deliveryTimeout(), hubLabel, 0, e);
        } catch (Exception | Error e) {
            worker.shutdownNow();
            throw e;
        }
    }

    private void listen(DialectSettings dialect, EdgeHost host, Duration deliveryTimeout, String hubLabel)
            throws Exception {
        try {
            DialectServer started = DialectServer.start(dialect, host);
            this.server = started;
            inputs.attach(started, deliveryTimeout);
            LOG.info("mqtt-listener-ready hub={} tlsPort={} plainPort={}", hubLabel, started.tlsPort(),
                    started.plainPort());
        } catch (Exception e) {
            BindException bind = bindFailure(e);
            throw bind != null ? bind : e;
        }
    }

    private void scheduleRetry(DialectSettings dialect, EdgeHost host, Duration deliveryTimeout, String hubLabel,
            int failures, Exception cause) {
        Duration wait = LISTEN_RETRY.delay(failures);
        LOG.error("mqtt-listener-bind-failed host={} tlsPort={} plainPort={} error=\"{}\" retryInSecs={}",
                dialect.host(), dialect.tlsPort(), dialect.plainPort(), cause.getMessage(), wait.toSeconds());
        retry.schedule(() -> {
            if (closed) {
                return;
            }
            try {
                listen(dialect, host, deliveryTimeout, hubLabel);
            } catch (Exception e) {
                if (!closed) {
                    scheduleRetry(dialect, host, deliveryTimeout, hubLabel, failures + 1, e);
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

    /** For tests: a component over parts made outside OSGi. */
    IotHubComponent(ModuleInputDelivery inputs, EdgeTwins twins, DialectServer server, ThreadPoolExecutor worker) {
        this.inputs = inputs;
        this.twins = twins;
        this.server = server;
        this.worker = worker;
        if (server != null) {
            inputs.attach(server, Duration.ofSeconds(60));
        }
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
        inputs.attach(null, Duration.ofSeconds(60));
        DialectServer current = server;
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

    // ---- desired properties from the deployment

    @Override
    public void deploymentChanged(DesiredState running) {
        ValidationResult result = new ManifestParser().parse(running.manifest());
        if (!result.valid()) {
            LOG.warn("deployment-twins-unreadable version={}", running.version());
            return;
        }
        DeploymentManifest manifest = result.orElseThrow();
        worker.execute(() -> applyDesired(manifest.twins(), running.version()));
    }

    /** Stores each module's desired properties and pushes a change to the connected module. */
    void applyDesired(Map<String, String> desired, String version) {
        for (Map.Entry<String, String> e : desired.entrySet()) {
            ClientIdentity module = ClientIdentity.module(inputs.deviceId(), e.getKey());
            try {
                twins.setDesired(module.name(), e.getValue()).ifPresent(change -> {
                    LOG.info("twin-desired-changed identity={} version={} deployment={}", module, change.version(),
                            version);
                    DialectServer current = server;
                    if (current != null) {
                        current.pushDesired(module, change.version(), change.patchJson());
                    }
                });
            } catch (RuntimeException ex) {
                LOG.warn("twin-desired-not-applied identity={} error=\"{}\"", module, ex.getMessage());
            }
        }
    }

    // ---- services

    @Override
    public List<ClientConnection> list() {
        DialectServer current = server;
        if (current == null) {
            return List.of();
        }
        return current.clients().stream().map(c -> new ClientConnection(c.identity().name(), c.protocol(), c.tls(),
                c.remoteAddress(), c.connectedSince(), c.expiresAt(), c.subscriptions())).toList();
    }

    @Override
    public Optional<String> twin(String identity) {
        return twins.find(identity);
    }

    @Override
    public Optional<String> moduleTwin(String moduleId) {
        return twins.find(inputs.deviceId() + "/" + moduleId);
    }

    @Override
    public List<String> identities() {
        return twins.identities();
    }

    @Override
    public java.util.OptionalLong setLeafDesired(String deviceId, String desiredJson) {
        ClientIdentity leaf;
        try {
            leaf = ClientIdentity.device(deviceId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("deviceId: " + e.getMessage());
        }
        if (leaf.deviceId().equals(inputs.deviceId())) {
            throw new IllegalArgumentException("deviceId: " + deviceId + " is this edge device, not a leaf device");
        }
        Optional<EdgeTwins.DesiredChange> change = twins.setDesired(leaf.name(), desiredJson);
        change.ifPresent(c -> {
            LOG.info("twin-desired-changed identity={} version={} source=cloud", leaf, c.version());
            DialectServer current = server;
            if (current != null) {
                current.pushDesired(leaf, c.version(), c.patchJson()).whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.debug("twin-desired-not-pushed identity={} error=\"{}\"", leaf, e.getMessage());
                    }
                });
            }
        });
        return change.map(c -> java.util.OptionalLong.of(c.version())).orElse(java.util.OptionalLong.empty());
    }

    @Override
    public void send(String deviceId, byte[] body, Map<String, String> properties) {
        DialectServer current = server;
        if (current == null) {
            throw new io.outpost.common.OutpostException(io.outpost.hub.HubErrorCode.ENDPOINT_UNAVAILABLE,
                    "the hub has no MQTT listener");
        }
        Map<String, String> system = new java.util.TreeMap<>();
        Map<String, String> application = new java.util.TreeMap<>();
        properties.forEach((name, value) -> (C2D_SYSTEM.contains(name) ? system : application).put(name, value));
        try {
            current.deliverC2D(deviceId, new IotMessage(system, application, body)).toCompletableFuture()
                    .get(C2D_TIMEOUT_SECS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new io.outpost.common.OutpostException(io.outpost.hub.HubErrorCode.ENDPOINT_UNAVAILABLE,
                    "cloud-to-device message to " + deviceId + " not delivered: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new io.outpost.common.OutpostException(io.outpost.hub.HubErrorCode.ENDPOINT_UNAVAILABLE,
                    deviceId + " did not acknowledge the cloud-to-device message in " + C2D_TIMEOUT_SECS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final long C2D_TIMEOUT_SECS = 30;
    private static final java.util.Set<String> C2D_SYSTEM = java.util.Set.of(IotMessage.MESSAGE_ID,
            IotMessage.CORRELATION_ID, IotMessage.USER_ID, IotMessage.CONTENT_TYPE, IotMessage.CONTENT_ENCODING,
            IotMessage.TO, IotMessage.ABSOLUTE_EXPIRY_TIME, IotMessage.CREATION_TIME_UTC);

    @Override
    public MethodResponse invoke(String deviceId, Optional<String> moduleId, String method, String payloadJson,
            Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 second and 1 hour: " + timeout);
        }
        String payload = payloadJson == null || payloadJson.isBlank() ? "null" : payloadJson.trim();
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getMessage());
        }
        ClientIdentity target = new ClientIdentity(deviceId, moduleId);
        DialectServer current = server;
        if (current == null) {
            return new MethodResponse(MethodResult.NOT_CONNECTED, "{\"message\":\"the hub has no MQTT listener\"}");
        }
        try {
            MethodResult result = current.invokeMethod(target, method, payload.getBytes(StandardCharsets.UTF_8), timeout)
                    .toCompletableFuture().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return new MethodResponse(result.status(), result.payloadText());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException("method call failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            return new MethodResponse(MethodResult.TIMEOUT, "{\"message\":\"no answer in time\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
