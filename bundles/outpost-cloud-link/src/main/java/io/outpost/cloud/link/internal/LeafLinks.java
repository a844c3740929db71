package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The connections of the leaf devices registered on this edge ({@code <leaf>}, authenticated with the edge's own
 * key: the cloud accepts it for devices whose parent is this edge). Through each:
 * <ul>
 * <li>the leaf twin's desired properties (read whole on connect and on every push) go into the hub's twin store
 * ({@link Twins#setLeafDesired}), which pushes the change to the leaf when it is connected;</li>
 * <li>the leaf's reported properties in the hub's {@link Twins} are sent as a reported PATCH whenever they differ
 * from what was last sent (every report interval and after every reconnection);</li>
 * <li>a direct method called on the leaf in the cloud goes to the hub's {@link MethodInvoker};</li>
 * <li>a cloud-to-device message goes to the hub's {@link CloudToDevice} and is acknowledged to the cloud only once
 * the leaf acknowledged it (the cloud keeps it otherwise).</li>
 * </ul>
 * Twin work runs on {@code work}; method calls on {@code methods} ({@link EdgeRelay}); C2D deliveries on Paho's callback thread.
 */
final class LeafLinks implements CloudConnection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(LeafLinks.class);
    private static final Map<String, String> SYSTEM_NAMES = Map.of("$.mid", "messageId", "$.cid", "correlationId",
            "$.uid", "userId", "$.ct", "contentType", "$.ce", "contentEncoding", "$.to", "to",
            "$.exp", "absoluteExpiryTime", "$.ctime", "creationTimeUtc");

    private final LinkSettings settings;
    private final ScheduledExecutorService timers;
    private final TwinWork tasks;
    private final TwinRequests requests;
    private final Supplier<Twins> hubTwins;
    private final EdgeRelay relay;
    private final Supplier<CloudToDevice> c2d;
    private final String edgeId;
    private final Map<String, CloudConnection> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    LeafLinks(LinkSettings settings, ScheduledExecutorService timers, ExecutorService work, ExecutorService methods,
            Supplier<Twins> hubTwins, Supplier<MethodInvoker> invoker, Supplier<CloudToDevice> c2d) {
        this.settings = settings;
        this.timers = timers;
        this.tasks = new TwinWork(work, "cloud-leaf", LOG);
        this.requests = new TwinRequests(settings.publishTimeout().toMillis());
        this.hubTwins = hubTwins;
        this.relay = new EdgeRelay(requests, invoker, methods);
        this.c2d = c2d;
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
                CloudConnection c = new CloudConnection(settings, l, List.of(TwinRequests.RES_FILTER,
                        TwinRequests.DESIRED_FILTER, ModuleLinks.METHODS_FILTER, c2dFilter(l)), this, timers);
                c.start();
                LOG.info("cloud-leaf-connection-opened leaf={}", l);
                return c;
            });
        }
        for (String leaf : new TreeSet<>(connections.keySet())) {
            if (!wanted.contains(leaf)) {
                CloudConnection gone = connections.remove(leaf);
                relay.forget(leaf);
                gone.close();
                LOG.info("cloud-leaf-connection-closed leaf={}", leaf);
            }
        }
    }

    /** The leaf's connection when it is one of the leaves kept, connected or not. */
    Optional<CloudConnection> connection(String leaf) {
        return Optional.ofNullable(connections.get(leaf));
    }

    static String c2dFilter(String leaf) {
        return "devices/" + leaf + "/messages/devicebound/#";
    }

    @Override
    public void connected(CloudConnection connection) {
        String leaf = connection.identity();
        tasks.submit(() -> {
            relay.forget(leaf);
            refresh(leaf, connection);
            report(leaf, connection);
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
        String leaf = connection.identity();
        if (topic.startsWith(TwinRequests.DESIRED_PREFIX)) {
            tasks.submit(() -> refresh(leaf, connection));
        } else if (topic.startsWith(EdgeRelay.METHODS_PREFIX)) {
            relay.call(leaf, Optional.empty(), connection, topic, message.getPayload());
        } else if (topic.startsWith("devices/" + leaf + "/messages/devicebound/")) {
            deliver(leaf, topic, message.getPayload());
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
     * A cloud-to-device message: handed to the hub on the Paho callback thread, so that Paho sends its PUBACK
     * (the cloud's delivery acknowledgement) only after the leaf took it; when the hub cannot deliver it, the
     * message is dropped and logged (at-most-once past the edge, as for an offline device in IoT Hub's MQTT).
     */
    private void deliver(String leaf, String topic, byte[] body) {
        CloudToDevice hub = c2d.get();
        String bag = topic.substring(("devices/" + leaf + "/messages/devicebound/").length());
        if (hub == null) {
            LOG.info("cloud-c2d-dropped leaf={} reason=\"the edge hub is not running\"", leaf);
            return;
        }
        try {
            hub.send(leaf, body, properties(bag));
            LOG.debug("cloud-c2d-delivered leaf={} bytes={}", leaf, body.length);
        } catch (RuntimeException e) {
            LOG.info("cloud-c2d-dropped leaf={} reason=\"{}\"", leaf, e.getMessage());
        }
    }

    /** Reads an IoT Hub property bag ({@code $.mid=1&k=v}); system properties get their long names. */
    static Map<String, String> properties(String bag) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : bag.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.startsWith("$.")) {
                String system = SYSTEM_NAMES.get(name);
                if (system != null) {
                    out.put(system, value);
                }
            } else {
                out.put(name, value);
            }
        }
        return out;
    }

    synchronized void close() {
        closed = true;
        connections.values().forEach(CloudConnection::close);
        connections.clear();
    }
}
