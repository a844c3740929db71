package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.common.DaemonThreads;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import io.outpost.iothub.IotHubProperties;
import io.outpost.iothub.IotHubTopics;
import io.outpost.iothub.IotMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of the leaf devices registered on this edge ({@code <leaf>}, authenticated with the edge's own
 * key: the cloud accepts it for devices whose parent is this edge). Through each:
 * <ul>
 * <li>the leaf twin's desired properties (read whole on connect and on every push) go into the hub's twin store
 * ({@link Twins#setLeafDesired}), which pushes the change to the leaf when it is connected;</li>
 * <li>the leaf's reported properties in the hub's {@link Twins} are sent as a reported PATCH whenever they differ
 * from what was last sent (every report interval and after every reconnection);</li>
 * <li>a direct method called on the leaf in the cloud goes to the hub's {@link MethodInvoker};</li>
 * <li>cloud-to-device messages: the connection subscribes to {@code devices/<leaf>/messages/devicebound/#} only
 * while the leaf is connected to the edge hub and subscribed there to its own devicebound topic ({@link
 * ConnectedClients}, checked every report interval: {@link #c2dSoon}), so that the cloud keeps the messages queued
 * while the leaf is away; a message is handed to the hub's {@link CloudToDevice} and acknowledged (PUBACK) to the
 * cloud only once the leaf acknowledged it to the hub. One the hub cannot deliver is not acknowledged: the link
 * reconnects the leaf's cloud connection without that subscription, so the cloud, which removes a message from its
 * queue only on the PUBACK, keeps it and sends it again once the leaf is back.</li>
 * </ul>
 * Twin work and subscription changes run on {@code work}; method calls on {@code methods} ({@link EdgeRelay}); C2D
 * deliveries on {@value #C2D_THREADS} threads of their own, off Paho's callback thread, so that twin answers keep
 * coming while a leaf takes its time.
 */
final class LeafLinks implements CloudConnection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(LeafLinks.class);
    /** Cloud-to-device messages handed to the hub at once (the cloud sends a device one at a time). */
    static final int C2D_THREADS = 4;

    private final LinkSettings settings;
    private final ScheduledExecutorService timers;
    private final TwinWork tasks;
    private final TwinRequests requests;
    private final Supplier<Twins> hubTwins;
    private final EdgeRelay relay;
    private final Supplier<CloudToDevice> c2d;
    private final Supplier<ConnectedClients> clients;
    private final ExecutorService deliveries;
    private final String edgeId;
    private final Map<String, CloudConnection> connections = new ConcurrentHashMap<>();
    /**
     * The connections subscribed to their leaf's devicebound topic, with the {@link CloudConnection#session} they
     * subscribed in (a later session starts without the subscription).
     */
    private final Map<CloudConnection, Long> c2dSessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    LeafLinks(LinkSettings settings, ScheduledExecutorService timers, ExecutorService work, ExecutorService methods,
            Supplier<Twins> hubTwins, Supplier<MethodInvoker> invoker, Supplier<CloudToDevice> c2d,
            Supplier<ConnectedClients> clients) {
        this.settings = settings;
        this.timers = timers;
        this.tasks = new TwinWork(work, "cloud-leaf", LOG);
        this.requests = new TwinRequests(settings.publishTimeout().toMillis());
        this.hubTwins = hubTwins;
        this.relay = new EdgeRelay(requests, invoker, methods);
        this.c2d = c2d;
        this.clients = clients;
        this.deliveries = Executors.newFixedThreadPool(C2D_THREADS, DaemonThreads.named("outpost-cloud-link-c2d"));
        this.edgeId = settings.connection().deviceId();
    }

    /** Keeps one connection per leaf device in {@code leaves} (the edge itself is skipped), closes the others. */
    synchronized void retain(Collection<String> leaves) {
        if (closed) {
            return;
        }
        Set<String> wanted = new TreeSet<>(leaves);
        wanted.remove(edgeId);
        for (String leaf : wanted) {
            connections.computeIfAbsent(leaf, l -> {
                String devicebound = c2dPrefix(l);
                CloudConnection c = new CloudConnection(settings, l, List.of(TwinRequests.RES_FILTER,
                        TwinRequests.DESIRED_FILTER, ModuleLinks.METHODS_FILTER), this, timers,
                        topic -> topic.startsWith(devicebound));
                c.start();
                LOG.info("cloud-leaf-connection-opened leaf={}", l);
                return c;
            });
        }
        for (String leaf : new TreeSet<>(connections.keySet())) {
            if (!wanted.contains(leaf)) {
                CloudConnection gone = connections.remove(leaf);
                relay.forget(leaf);
                c2dSessions.remove(gone);
                gone.close();
                LOG.info("cloud-leaf-connection-closed leaf={}", leaf);
            }
        }
    }

    /** The leaf's connection when it is one of the leaves kept, connected or not. */
    Optional<CloudConnection> connection(String leaf) {
        return Optional.ofNullable(connections.get(leaf));
    }

    /** Whether the leaf's connection is subscribed to its cloud-to-device messages now. */
    boolean c2dSubscribed(String leaf) {
        CloudConnection c = connections.get(leaf);
        return c != null && subscribedNow(c);
    }

    private boolean subscribedNow(CloudConnection connection) {
        Long session = c2dSessions.get(connection);
        return session != null && session == connection.session() && connection.isConnected();
    }

    static String c2dFilter(String leaf) {
        return c2dPrefix(leaf) + "#";
    }

    static String c2dPrefix(String leaf) {
        return IotHubTopics.deviceBoundPrefix(leaf);
    }

    @Override
    public void connected(CloudConnection connection) {
        String leaf = connection.identity();
        c2dSessions.remove(connection);
        tasks.submit(() -> c2dSubscription(leaf, connection, readyLeaves()));
        tasks.submit(() -> {
            relay.forget(leaf);
            refresh(leaf, connection);
            report(leaf, connection);
        });
    }

    @Override
    public void disconnected(CloudConnection connection, String reason) {
        c2dSessions.remove(connection);
    }

    @Override
    public void message(CloudConnection connection, String topic, MqttMessage message) {
        if (requests.answer(topic, message)) {
            return;
        }
        String leaf = connection.identity();
        if (topic.startsWith(TwinRequests.DESIRED_PREFIX)) {
            tasks.submit(() -> refresh(leaf, connection));
        } else if (topic.startsWith(EdgeRelay.METHODS_PREFIX)) {
            relay.call(leaf, Optional.empty(), connection, topic, message.getPayload());
        } else if (topic.startsWith(c2dPrefix(leaf))) {
            long session = connection.session();
            try {
                deliveries.execute(() -> deliver(leaf, connection, session, topic, message));
            } catch (RejectedExecutionException e) {
                LOG.debug("cloud-c2d-not-delivered leaf={} reason=\"the link is stopping\"", leaf);
            }
        }
    }

    /**
     * The report interval passed: subscribe each leaf's connection to its devicebound topic when the leaf is
     * connected to the hub and subscribed to its own there, unsubscribe it when not.
     */
    void c2dSoon() {
        tasks.submit(() -> {
            Set<String> ready = readyLeaves();
            connections.forEach((leaf, connection) -> c2dSubscription(leaf, connection, ready));
        });
    }

    /**
     * The leaves connected to the hub with a subscription under their {@code devices/<leaf>/messages/devicebound/}
     * (the rule the cloud applies to its own devices); none while there is no hub.
     */
    private Set<String> readyLeaves() {
        ConnectedClients hub = clients.get();
        if (hub == null) {
            return Set.of();
        }
        Set<String> ready = new TreeSet<>();
        for (ClientConnection c : hub.list()) {
            String prefix = c2dPrefix(c.identity());
            if (!c.identity().contains("/") && c.subscriptions().stream().anyMatch(f -> f.startsWith(prefix))) {
                ready.add(c.identity());
            }
        }
        return ready;
    }

    private void c2dSubscription(String leaf, CloudConnection connection, Set<String> ready) {
        if (!connection.isConnected() || connections.get(leaf) != connection) {
            return;
        }
        boolean wanted = ready.contains(leaf);
        if (wanted == subscribedNow(connection)) {
            return;
        }
        try {
            if (wanted) {
                long session = connection.session();
                connection.subscribe(c2dFilter(leaf));
                c2dSessions.put(connection, session);
                LOG.info("cloud-c2d-subscribed leaf={}", leaf);
            } else {
                c2dSessions.remove(connection);
                connection.unsubscribe(c2dFilter(leaf));
                LOG.info("cloud-c2d-unsubscribed leaf={} reason=\"not connected to the edge hub or not subscribed "
                        + "to its cloud-to-device messages there\"", leaf);
            }
        } catch (MqttException e) {
            LOG.info("cloud-c2d-subscription-failed leaf={} subscribe={} error=\"{}\"", leaf, wanted,
                    CloudConnection.describe(e));
            if (!wanted) {
                // an unsubscription that may not have happened: a new connection starts without it
                connection.reconnect("unsubscription from cloud-to-device messages failed");
            }
        }
    }

    /** The report interval passed: send the leaves' reported properties that changed in the hub. */
    void reportSoon() {
        tasks.submit(() -> connections.forEach((leaf, connection) -> {
            try {
                report(leaf, connection);
            } catch (RuntimeException e) {
                LOG.info("cloud-leaf-reported-failed leaf={} error=\"{}\"", leaf, e.getMessage());
            }
        }));
    }

    /** Reads the leaf's twin in the cloud and puts its desired properties into the hub's twin store. */
    private void refresh(String leaf, CloudConnection connection) {
        Twins twins = hubTwins.get();
        if (twins == null || !connection.isConnected() || connections.get(leaf) != connection) {
            return;
        }
        TwinRequests.Answer answer = requests.fetch(connection);
        if (answer.status() != 200) {
            throw TwinRequests.unavailable("twin GET of " + leaf + " answered " + answer.status() + " "
                    + answer.body(), null);
        }
        JsonNode desired;
        try {
            desired = ReportedState.MAPPER.readTree(answer.body()).path("desired");
        } catch (JsonProcessingException e) {
            throw TwinRequests.unavailable("the cloud's twin is not JSON: " + e.getOriginalMessage(), e);
        }
        ObjectNode props = desired instanceof ObjectNode o ? EdgeTwins.withoutMetadata(o)
                : ReportedState.MAPPER.createObjectNode();
        twins.setLeafDesired(leaf, props.toString()).ifPresent(v ->
                LOG.info("cloud-leaf-desired leaf={} cloudVersion={} hubVersion={}", leaf,
                        desired.path("$version").asLong(), v));
    }

    /** Sends the hub's reported properties of the leaf when they differ from what was last sent. */
    private void report(String leaf, CloudConnection connection) {
        Twins twins = hubTwins.get();
        if (twins == null || !connection.isConnected()) {
            return;
        }
        relay.report(leaf, twins.twin(leaf), connection);
    }

    /**
     * A cloud-to-device message: handed to the hub, which returns once the leaf acknowledged it, and only then
     * acknowledged to the cloud. When the hub cannot deliver it (the leaf went away, did not acknowledge in time, no
     * hub), it is not acknowledged and the leaf's connection is reconnected without the devicebound subscription:
     * the cloud keeps the message queued and sends it again once the leaf is back.
     */
    private void deliver(String leaf, CloudConnection connection, long session, String topic, MqttMessage message) {
        byte[] body = message.getPayload();
        String bag = topic.substring(c2dPrefix(leaf).length());
        CloudToDevice hub = c2d.get();
        String failure;
        if (hub == null) {
            failure = "the edge hub is not running";
        } else {
            try {
                hub.send(leaf, body, properties(bag));
                if (connection.ack(session, message)) {
                    LOG.debug("cloud-c2d-delivered leaf={} bytes={}", leaf, body.length);
                } else {
                    // the cloud connection was lost meanwhile: the cloud sends it again (at least once)
                    LOG.info("cloud-c2d-not-acknowledged leaf={} reason=\"the cloud connection was lost\"", leaf);
                }
                return;
            } catch (RuntimeException e) {
                failure = e.getMessage();
            }
        }
        LOG.info("cloud-c2d-not-delivered leaf={} reason=\"{}\" action=\"kept queued in the cloud\"", leaf,
                failure);
        if (connections.get(leaf) == connection && connection.session() == session) {
            c2dSessions.remove(connection);
            connection.reconnect("cloud-to-device message not delivered to the leaf");
        }
    }

    /**
     * Reads an IoT Hub property bag ({@link IotHubProperties#decode}): the system properties a sender sets, by
     * their long names, and the application properties, in one map.
     *
     * @throws IllegalArgumentException naming the property whose encoding is bad
     */
    static Map<String, String> properties(String bag) {
        IotMessage message = IotHubProperties.decode(bag, new byte[0]);
        Map<String, String> out = new TreeMap<>(message.properties());
        message.systemProperties().forEach((name, value) -> {
            if (IotHubProperties.MESSAGE_PROPERTIES.contains(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    synchronized void close() {
        closed = true;
        deliveries.shutdownNow();
        connections.values().forEach(CloudConnection::close);
        connections.clear();
    }
}
