package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.TwinService;
import io.outpost.common.Clock;
import io.outpost.common.LogBudget;
import io.outpost.common.OutpostException;
import io.outpost.common.RateLimitedLog;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.IotHubProperties;
import io.outpost.iothub.IotMessage;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud as a {@link DialectHost}: authentication against the device registry, telemetry into the telemetry
 * store (acknowledged once committed), twins from the twin service, connection state and last activity in the
 * registry. Store work runs on {@code db}, never on the server's network threads.
 */
final class CloudDialectHost implements DialectHost {

    private static final Logger LOG = LoggerFactory.getLogger(CloudDialectHost.class);
    private static final String DESIRED_FILTER = "$iothub/twin/PATCH/properties/desired/";

    private final DeviceRegistry registry;
    private final TwinService twins;
    private final FleetDeploymentService fleet;
    private final TelemetryStore telemetry;
    private final Authenticator authenticator;
    private final DesiredWatcher watcher;
    private final Clock clock;
    private final ExecutorService db;
    private final ExecutorService states;
    private final long touchEveryNanos;
    /** Module identities a device key may create for modules outside the device's applied deployment. */
    static final int MAX_UNDEPLOYED_MODULES = 50;
    private final RateLimitedLog refusals = new RateLimitedLog(60, TimeUnit.SECONDS);
    /** Client ids are the caller's choice: refusal lines are also bounded per remote address and in all. */
    private final LogBudget refusalLines = new LogBudget(60, TimeUnit.SECONDS, 10, 100);
    private final ConcurrentMap<String, Integer> connections = new ConcurrentHashMap<>();
    /** The newest connection of each identity: the one its subscriptions come from (the server serves one). */
    private final ConcurrentMap<ClientIdentity, DesiredWatcher.Connection> latest = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> touched = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    CloudDialectHost(DeviceRegistry registry, TwinService twins, FleetDeploymentService fleet, TelemetryStore telemetry,
            Authenticator authenticator, DesiredWatcher watcher, Clock clock, ExecutorService db, ExecutorService states,
            long touchEveryNanos) {
        this.registry = registry;
        this.twins = twins;
        this.fleet = fleet;
        this.telemetry = telemetry;
        this.authenticator = authenticator;
        this.watcher = watcher;
        this.clock = clock;
        this.db = db;
        this.states = states;
        this.touchEveryNanos = touchEveryNanos;
    }

    @Override
    public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
        return onDb(() -> {
            try {
                Authenticated who = authenticator.authenticate(request, clock.now());
                if (who.identity().moduleId().isPresent()) {
                    registerModule(who.identity().deviceId(), who.identity().moduleId().get());
                }
                return Optional.of(who);
            } catch (Authenticator.Refused e) {
                long now = clock.monotonicNanos();
                refusals.log(request.clientId() + "|" + e.code(), now, suppressed -> {
                    if (refusalLines.admit(LogBudget.hostOf(request.remoteAddress()), now,
                            leftOut -> LOG.info("client-refusals-not-logged count={} periodSecs=60", leftOut))) {
                        LOG.info("client-refused client={} remote={} reason={} detail=\"{}\" suppressed={}",
                                request.clientId(), request.remoteAddress(), e.code(), e.getMessage(), suppressed);
                    }
                });
                return Optional.empty();
            }
        });
    }

    /**
     * A module that authenticated with its device's key gets an identity (and twin) of its own, as IoT Edge's do,
     * when it is {@code $edgeAgent}, {@code $edgeHub} or a module of the device's applied deployment, or, for modules
     * the edge runs from a deployment of its own (not from this cloud), while the device has fewer than
     * {@value #MAX_UNDEPLOYED_MODULES} module identities outside its applied deployment; beyond that any other name is
     * refused, so that a device key cannot fill the registry with identities of its choosing.
     */
    private void registerModule(String deviceId, String moduleId) throws Authenticator.Refused {
        if (registry.getModule(deviceId, moduleId).isPresent()) {
            return;
        }
        Set<String> deployed = DeployedModules.of(fleet.configurationFor(deviceId));
        if (!deployed.contains(moduleId)) {
            long undeployed = registry.modules(deviceId).stream().filter(m -> !deployed.contains(m.moduleId())).count();
            if (undeployed >= MAX_UNDEPLOYED_MODULES) {
                throw new Authenticator.Refused("module-limit", "module " + moduleId + " is not $edgeAgent, $edgeHub or a module of "
                        + "the device's applied deployment, and the device has " + undeployed + " module identities "
                        + "outside it already (at most " + MAX_UNDEPLOYED_MODULES + ")");
            }
        }
        try {
            registry.createModule(deviceId, moduleId, new DeviceAuth.SymmetricKeys(newKey(), newKey()));
            LOG.info("module-registered device={} module={}", deviceId, moduleId);
        } catch (OutpostException e) {
            if (e.errorCode() != CloudErrorCode.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private String newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
        return onDb(() -> {
            Instant now = clock.now();
            telemetry.append(TelemetryMessage.of(identity.deviceId(), identity.moduleId(), now,
                    properties(identity, message), message.body()));
            touch(identity.deviceId(), now);
            return null;
        });
    }

    /** The stored properties: system ones by their bag names ({@code $.mid}...), the sender, application ones. */
    static Map<String, String> properties(ClientIdentity identity, IotMessage message) {
        Map<String, String> out = new TreeMap<>(message.properties());
        message.systemProperties().forEach((name, value) -> out.put(IotHubProperties.bagKey(name), value));
        out.put(IotHubProperties.bagKey(IotHubProperties.CONNECTION_DEVICE_ID), identity.deviceId());
        identity.moduleId().ifPresent(m -> out.put(IotHubProperties.bagKey(IotHubProperties.CONNECTION_MODULE_ID), m));
        return out;
    }

    @Override
    public CompletionStage<String> getTwin(ClientIdentity identity) {
        return onDb(() -> {
            Twin twin = twins.get(DesiredWatcher.twinId(identity))
                    .orElseThrow(() -> new DialectException(404, "no twin for " + identity));
            watcher.sawTwin(identity, twin);
            return TwinJson.document(twin);
        });
    }

    @Override
    public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
        return onDb(() -> {
            Twin twin = updateReported(identity, patchJson);
            touch(identity.deviceId(), clock.now());
            return twin.reportedVersion();
        });
    }

    private Twin updateReported(ClientIdentity identity, String patchJson) {
        for (int attempt = 1; ; attempt++) {
            try {
                return twins.update(DesiredWatcher.twinId(identity), TwinPatch.merge(TwinSection.REPORTED, patchJson));
            } catch (OutpostException e) {
                if (e.errorCode() == CloudErrorCode.VERSION_MISMATCH && attempt < 3) {
                    continue;
                }
                if (e.errorCode() == CloudErrorCode.TWIN_TOO_LARGE) {
                    throw new DialectException(413, e.getMessage(), e);
                }
                if (e.errorCode() == CloudErrorCode.INVALID_ARGUMENT) {
                    throw new DialectException(400, e.getMessage(), e);
                }
                if (e.errorCode() == CloudErrorCode.NOT_FOUND) {
                    throw new DialectException(404, e.getMessage(), e);
                }
                throw e;
            }
        }
    }

    @Override
    public void connected(ConnectedClient client) {
        String device = client.identity().deviceId();
        latest.put(client.identity(), DesiredWatcher.Connection.of(client));
        if (connections.merge(device, 1, Integer::sum) == 1) {
            Instant at = clock.now();
            states.execute(() -> setState(device, ConnectionState.CONNECTED, at));
        }
        LOG.debug("client-connected identity={} remote={}", client.identity(), client.remoteAddress());
    }

    @Override
    public void disconnected(ConnectedClient client) {
        String device = client.identity().deviceId();
        watcher.forget(DesiredWatcher.Connection.of(client));
        latest.remove(client.identity(), DesiredWatcher.Connection.of(client));
        Integer left = connections.computeIfPresent(device, (d, n) -> n <= 1 ? null : n - 1);
        if (left == null) {
            Instant at = clock.now();
            states.execute(() -> setState(device, ConnectionState.DISCONNECTED, at));
        }
        LOG.debug("client-disconnected identity={} remote={}", client.identity(), client.remoteAddress());
    }

    @Override
    public void subscribed(ClientIdentity identity, String topicFilter) {
        if (topicFilter.startsWith(DESIRED_FILTER)) {
            DesiredWatcher.Connection connection = latest.get(identity);
            if (connection != null) {
                watcher.watch(connection);
            }
        }
    }

    private void setState(String device, ConnectionState state, Instant at) {
        try {
            registry.setConnectionState(device, state, at);
        } catch (RuntimeException e) {
            LOG.warn("connection-state-not-stored device={} state={} error=\"{}\"", device, state, e.getMessage());
        }
    }

    /** Records activity, at most once per {@code touchEvery} per device. */
    private void touch(String device, Instant at) {
        long now = clock.monotonicNanos();
        Long last = touched.get(device);
        if (last != null && now - last < touchEveryNanos) {
            return;
        }
        touched.put(device, now);
        registry.touch(device, at);
    }

    private <T> CompletionStage<T> onDb(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, db);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DialectException(503, "the endpoint is stopping"));
        }
    }
}
