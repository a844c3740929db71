package io.outpost.cloud.link.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import io.outpost.hub.UpstreamSender;
import io.outpost.hub.UpstreamStatus;
import io.outpost.iothub.IotHubProperties;
import io.outpost.iothub.IotHubTopics;
import io.outpost.iothub.IotMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * Sends the {@code $upstream} queue to the cloud: a message from a module goes out on that module's own connection
 * ({@code <device>/<module>}, opened when first needed) on {@code devices/<d>/modules/<m>/messages/events/<bag>},
 * so that the cloud knows its sender; a message from a leaf device on that leaf's connection ({@link LeafLinks}) on
 * {@code devices/<leaf>/messages/events/<bag>} while it is connected (else on the device's connection, so that a
 * leaf the cloud does not know as this edge's child never holds the queue up); any other on the device's connection. {@link #send} returns after the cloud's
 * PUBACK, which the cloud sends once the message is stored; the hub's pump acknowledges it to the store only then.
 * A message larger, as sent, than the cloud's limit is refused as invalid before it is sent ({@link #checkSize}).
 */
final class UpstreamRelay implements UpstreamSender, CloudConnection.Listener {

    /** The system properties the cloud is sent in the bag: those a sender sets, and the module's output. */
    private static final Set<String> SENT_SYSTEM = sentSystem();

    private final String deviceId;
    private final String target;
    private final CloudConnection device;
    private final Function<String, CloudConnection> moduleConnections;
    private volatile Function<String, Optional<CloudConnection>> leafConnections = leaf -> Optional.empty();
    /** Connections a send already waited for: later sends on them fail at once while they are down. */
    private final Set<CloudConnection> waitedFor = ConcurrentHashMap.newKeySet();
    private final OfflineTracker offline;
    private final long connectWaitMillis;
    private final int maxMessageBytes;
    private final AtomicLong sent = new AtomicLong();

    /**
     * @param moduleConnections the connection of a module, opened (and started) when there is none
     * @param maxMessageBytes   the largest message the cloud takes ({@link #encodedSize}); larger ones are refused
     *     as invalid
     */
    UpstreamRelay(String deviceId, String target, CloudConnection device,
            Function<String, CloudConnection> moduleConnections, OfflineTracker offline, long connectWaitMillis,
            int maxMessageBytes) {
        this.deviceId = deviceId;
        this.target = target;
        this.device = device;
        this.moduleConnections = moduleConnections;
        this.offline = offline;
        this.connectWaitMillis = connectWaitMillis;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The connection of a leaf device registered on this edge, when the link keeps one. */
    void leafConnections(Function<String, Optional<CloudConnection>> leaves) {
        this.leafConnections = leaves;
    }

    @Override
    public void send(StoredMessage message) {
        String module = message.systemProperties().get(IotHubProperties.CONNECTION_MODULE_ID);
        String sender = message.systemProperties().get(IotHubProperties.CONNECTION_DEVICE_ID);
        String bag = bag(message);
        if ((module == null || module.isEmpty()) && sender != null && !sender.isEmpty() && !sender.equals(deviceId)) {
            Optional<CloudConnection> leaf = leafConnections.apply(sender).filter(CloudConnection::isConnected);
            if (leaf.isPresent()) {
                String topic = IotHubTopics.telemetry(sender, null, bag);
                checkSize(topic, message);
                publish(leaf.get(), topic, message);
                return;
            }
        }
        boolean fromModule = module != null && !module.isEmpty();
        String topic = IotHubTopics.telemetry(deviceId, fromModule ? module : null, bag);
        checkSize(topic, message);
        CloudConnection connection = fromModule ? module(module) : device;
        if (!connection.isConnected()) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "not connected to the cloud ("
                    + connection.identity() + "): " + offline.lastError());
        }
        publish(connection, topic, message);
    }

    /**
     * Refuses, as invalid (not retryable: the hub's pump dead-letters it and goes on with the next), a message the
     * cloud would never take: one whose PUBLISH, with the topic and property bag it is sent with, is larger than
     * the cloud's limit. The cloud would close the connection on it, and the ordered queue would send it again
     * and again until its TTL, holding up every message behind it.
     */
    private void checkSize(String topic, StoredMessage message) {
        long size = encodedSize(topic, message.body());
        if (size > maxMessageBytes) {
            throw new OutpostException(HubErrorCode.INVALID_MESSAGE, "message " + message.id() + " is " + size
                    + " bytes as sent to the cloud (topic with its property bag, and body), more than the cloud's "
                    + "limit of " + maxMessageBytes + " bytes (maxMessageBytes)");
        }
    }

    /**
     * The size the cloud's limit applies to: the MQTT PUBLISH (QoS 1) after its fixed header, as it goes on the
     * wire: the topic's length and UTF-8 bytes (the property bag included), the packet id and the body.
     */
    static long encodedSize(String topic, byte[] body) {
        return 2L + topic.getBytes(StandardCharsets.UTF_8).length + 2 + body.length;
    }

    private void publish(CloudConnection connection, String topic, StoredMessage message) {
        try {
            connection.publish(topic, message.body(), 1);
        } catch (MqttException e) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "the cloud did not acknowledge message "
                    + message.id() + ": " + CloudConnection.describe(e), e);
        }
        sent.incrementAndGet();
    }

    /** The module's connection, opened on first use; the first send on it waits a little for it to connect. */
    private CloudConnection module(String module) {
        CloudConnection created = moduleConnections.apply(module);
        if (created.isConnected() || !waitedFor.add(created)) {
            return created;
        }
        long deadline = System.nanoTime() + connectWaitMillis * 1_000_000;
        while (!created.isConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return created;
    }

    /**
     * IoT Hub's property bag ({@link IotHubProperties#encode}): the non-empty system properties a sender sets and
     * the output name, then application properties; the sender's connection is the topic's, not the bag's.
     */
    static String bag(StoredMessage message) {
        Map<String, String> system = new TreeMap<>();
        message.systemProperties().forEach((name, value) -> {
            if (SENT_SYSTEM.contains(name) && !value.isEmpty()) {
                system.put(name, value);
            }
        });
        return IotHubProperties.encode(new IotMessage(system, message.properties(), new byte[0]));
    }

    private static Set<String> sentSystem() {
        Set<String> names = new HashSet<>(IotHubProperties.MESSAGE_PROPERTIES);
        names.add(IotHubProperties.OUTPUT_NAME);
        return Set.copyOf(names);
    }

    @Override
    public UpstreamStatus status() {
        return new UpstreamStatus(target, offline.online(), offline.since(), offline.offlineTotal(), offline.outages(),
                sent.get(), offline.lastError());
    }

    @Override
    public void connected(CloudConnection connection) {
        if (connection == device) {
            offline.connected();
        }
    }

    @Override
    public void disconnected(CloudConnection connection, String reason) {
        if (connection == device) {
            offline.disconnected(reason);
        }
    }

    @Override
    public void message(CloudConnection connection, String topic, MqttMessage message) {
    }
}
