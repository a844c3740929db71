package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of this device's modules ({@code <d>/<module>}): one per module of the cloud's deployment (and
 * per module that sends upstream), each subscribed to its twin's answers, its desired-property pushes and its
 * direct methods. Through them:
 * <ul>
 * <li>each module twin's desired properties (read whole on connect and on every push) are kept here; the
 * {@link EdgeTwins} put them into the manifest they give the agent as {@code modulesContent.<m>.properties.desired},
 * from which the hub fills its twin store and pushes the change to the module;</li>
 * <li>the module's reported properties in the hub's {@link Twins} are sent as a reported PATCH whenever they differ
 * from what was last sent (checked every report interval and after every reconnection);</li>
 * <li>a direct method called on the module in the cloud is passed to the hub's {@link MethodInvoker} and its status
 * and payload are the answer.</li>
 * </ul>
 * Twin work runs on {@code work}, the thread of {@link EdgeTwins}; method calls on {@code methods}.
 */
final class ModuleLinks implements CloudConnection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleLinks.class);
    static final String METHODS_FILTER = "$iothub/methods/POST/#";
    static final List<String> FILTERS = List.of(TwinRequests.RES_FILTER, TwinRequests.DESIRED_FILTER, METHODS_FILTER);
    /** The cloud allows at most 300 s per call and answers 504 itself when its caller's timeout passes first. */

    /** A module twin's desired properties as the cloud holds them. */
    record Desired(long version, ObjectNode properties) {
    }

    private final LinkSettings settings;
    private final ScheduledExecutorService timers;
    private final TwinWork tasks;
    private final TwinRequests requests;
    private final Supplier<Twins> hubTwins;
    private final EdgeRelay relay;
    private final String deviceId;
    private final Map<String, CloudConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Desired> desired = new ConcurrentHashMap<>();
    private volatile Runnable desiredChanged = () -> { };
    private volatile boolean closed;
    /** The modules of the deployment last applied. */
    private volatile Set<String> deploymentModules = Set.of();

    ModuleLinks(LinkSettings settings, ScheduledExecutorService timers, ExecutorService work, ExecutorService methods,
            Supplier<Twins> hubTwins, Supplier<MethodInvoker> invoker) {
        this.settings = settings;
        this.timers = timers;
        this.tasks = new TwinWork(work, "cloud-module", LOG);
        this.requests = new TwinRequests(settings.publishTimeout().toMillis());
        this.hubTwins = hubTwins;
        this.relay = new EdgeRelay(requests, invoker, methods);
        this.deviceId = settings.connection().deviceId();
    }

    /** Called (on {@code work}) when a module twin's desired properties changed. */
    void onDesiredChanged(Runnable task) {
        this.desiredChanged = task;
    }

    /** The module's connection, opened (and started) when there is none. */
    CloudConnection connection(String module) {
        return connections.computeIfAbsent(module, m -> {
            CloudConnection c = new CloudConnection(settings, deviceId + "/" + m, FILTERS, this, timers);
            if (!closed) {
                c.start();
            }
            return c;
        });
    }

    /**
     * Keeps a connection for each module of the deployment and closes those of modules that left it (a connection
     * opened only for upstream messages stays); the desired properties of modules that left are forgotten.
     */
    void retain(Set<String> modules) {
        Set<String> left = new TreeSet<>(deploymentModules);
        left.removeAll(modules);
        deploymentModules = Set.copyOf(modules);
        modules.forEach(this::connection);
        for (String module : left) {
            CloudConnection gone = connections.remove(module);
            desired.remove(module);
            relay.forget(module);
            if (gone != null) {
                gone.close();
                LOG.info("cloud-module-connection-closed module={}", module);
            }
        }
    }

    /** The desired properties known for these modules, by module. */
    SortedMap<String, Desired> desired(Set<String> modules) {
        SortedMap<String, Desired> out = new TreeMap<>();
        modules.forEach(m -> Optional.ofNullable(desired.get(m)).ifPresent(d -> out.put(m, d)));
        return out;
    }

    Iterable<CloudConnection> connections() {
        return connections.values();
    }

    @Override
    public void connected(CloudConnection connection) {
        String module = module(connection);
        tasks.submit(() -> {
            relay.forget(module);
            refresh(module, connection);
            report(module, connection);
        });
    }

    @Override
    public void disconnected(CloudConnection connection, String reason) {
    }

    @Override
    public void message(CloudConnection connection, String topic, MqttMessage message) {
        if (requests.answer(topic, message)) {
            return;
        }
        String module = module(connection);
        if (topic.startsWith(TwinRequests.DESIRED_PREFIX)) {
            tasks.submit(() -> refresh(module, connection));
        } else if (topic.startsWith(EdgeRelay.METHODS_PREFIX)) {
            relay.call(deviceId, Optional.of(module), connection, topic, message.getPayload());
        }
    }

    /** The report interval passed: send the reported properties that changed in the hub. */
    void reportSoon() {
        tasks.submit(() -> connections.forEach((module, connection) -> {
            try {
                report(module, connection);
            } catch (RuntimeException e) {
                LOG.info("cloud-module-reported-failed module={} error=\"{}\"", module, e.getMessage());
            }
        }));
    }

    private String module(CloudConnection connection) {
        return connection.identity().substring(deviceId.length() + 1);
    }

    /** Reads the module twin; when its desired properties moved, keeps them and tells {@link EdgeTwins}. */
    private void refresh(String module, CloudConnection connection) {
        if (!connection.isConnected() || connections.get(module) != connection) {
            return;
        }
        TwinRequests.Answer answer = requests.fetch(connection);
        if (answer.status() == 404) {
            LOG.debug("cloud-module-twin-absent module={}", module);
            return;
        }
        if (answer.status() != 200) {
            throw TwinRequests.unavailable("twin GET of " + connection.identity() + " answered " + answer.status()
                    + " " + answer.body(), null);
        }
        JsonNode twin;
        try {
            twin = ReportedState.MAPPER.readTree(answer.body()).path("desired");
        } catch (JsonProcessingException e) {
            throw TwinRequests.unavailable("the cloud's twin is not JSON: " + e.getOriginalMessage(), e);
        }
        ObjectNode props = twin instanceof ObjectNode o ? EdgeTwins.withoutMetadata(o)
                : ReportedState.MAPPER.createObjectNode();
        Desired fresh = new Desired(twin.path("$version").asLong(), props);
        if (!fresh.equals(desired.put(module, fresh)) && deploymentModules.contains(module)) {
            LOG.info("cloud-module-desired module={} version={}", module, fresh.version());
            desiredChanged.run();
        }
    }

    /** Sends the hub's reported properties of the module when they differ from what was last sent. */
    private void report(String module, CloudConnection connection) {
        Twins twins = hubTwins.get();
        if (twins == null || !connection.isConnected()) {
            return;
        }
        relay.report(module, twins.moduleTwin(module), connection);
    }

    void close() {
        closed = true;
        connections.values().forEach(CloudConnection::close);
        connections.clear();
    }
}
