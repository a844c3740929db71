package io.outpost.hub.internal;

import io.outpost.common.DaemonThreads;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.Twins;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectServer;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ManifestParser;
import io.outpost.manifest.ValidationResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The twins the hub keeps ({@link EdgeTwins}, under {@code <store dataDir>/twins} of {@link HubConfig}), with or
 * without a listener. Publishes {@link Twins}, the internal {@link TwinStore} the listener serves clients' twin
 * requests from, and, as a {@link DeploymentListener}, takes each module's desired properties from the running
 * deployment (on its own thread, {@code outpost-hub-twins}, in the order the deployments come). A desired change is
 * pushed to the connected client through the {@link HubListener} while there is one.
 */
@Component(immediate = true, service = {Twins.class, TwinStore.class, DeploymentListener.class},
        configurationPid = HubConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class TwinsComponent implements Twins, TwinStore, DeploymentListener {

    private static final Logger LOG = LoggerFactory.getLogger(TwinsComponent.class);

    private final EdgeTwins twins;
    private final String deviceId;
    private final ExecutorService desired;

    /** The listener desired changes are pushed through, while there is one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HubListener listener;

    @Activate
    public TwinsComponent(HubConfig config, BundleContext context) {
        this(new EdgeTwins(StoreSettings.from(config, context.getProperty("karaf.data")).dataDir().resolve("twins")),
                EdgeDeviceId.of(config), null);
    }

    /** For tests: the twins in {@code twins} of device {@code deviceId}, pushed through {@code listener}. */
    TwinsComponent(EdgeTwins twins, String deviceId, HubListener listener) {
        this.twins = Objects.requireNonNull(twins, "twins");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.listener = listener;
        this.desired = Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-hub-twins"));
    }

    @Deactivate
    void deactivate() {
        desired.shutdown();
        try {
            if (!desired.awaitTermination(10, TimeUnit.SECONDS)) {
                desired.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<DialectServer> server() {
        HubListener current = listener;
        return current == null ? Optional.empty() : current.server();
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
        desired.execute(() -> applyDesired(manifest.twins(), running.version()));
    }

    /** Stores each module's desired properties and pushes a change to the connected module. */
    void applyDesired(Map<String, String> desiredByModule, String version) {
        for (Map.Entry<String, String> e : desiredByModule.entrySet()) {
            ClientIdentity module = ClientIdentity.module(deviceId, e.getKey());
            try {
                twins.setDesired(module.name(), e.getValue()).ifPresent(change -> {
                    LOG.info("twin-desired-changed identity={} version={} deployment={}", module, change.version(),
                            version);
                    server().ifPresent(s -> s.pushDesired(module, change.version(), change.patchJson()));
                });
            } catch (RuntimeException ex) {
                LOG.warn("twin-desired-not-applied identity={} error=\"{}\"", module, ex.getMessage());
            }
        }
    }

    // ---- services

    @Override
    public String get(String identity) {
        return twins.get(identity);
    }

    @Override
    public long patchReported(String identity, String patchJson, Consumer<EdgeTwins.ReportedChange> accepted) {
        return twins.patchReported(identity, patchJson, accepted);
    }

    @Override
    public Optional<String> twin(String identity) {
        return twins.find(identity);
    }

    @Override
    public Optional<String> moduleTwin(String moduleId) {
        return twins.find(deviceId + "/" + moduleId);
    }

    @Override
    public List<String> identities() {
        return twins.identities();
    }

    @Override
    public OptionalLong setLeafDesired(String deviceId, String desiredJson) {
        ClientIdentity leaf;
        try {
            leaf = ClientIdentity.device(deviceId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("deviceId: " + e.getMessage());
        }
        if (leaf.deviceId().equals(this.deviceId)) {
            throw new IllegalArgumentException("deviceId: " + deviceId + " is this edge device, not a leaf device");
        }
        Optional<EdgeTwins.DesiredChange> change = twins.setDesired(leaf.name(), desiredJson);
        change.ifPresent(c -> {
            LOG.info("twin-desired-changed identity={} version={} source=cloud", leaf, c.version());
            server().ifPresent(s -> s.pushDesired(leaf, c.version(), c.patchJson()).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.debug("twin-desired-not-pushed identity={} error=\"{}\"", leaf, e.getMessage());
                }
            }));
        });
        return change.map(c -> OptionalLong.of(c.version())).orElse(OptionalLong.empty());
    }
}
