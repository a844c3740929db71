package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.common.OutpostException;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The edge hub's twin, method, client and cloud-to-device services as the link sees them, for the link's tests:
 * module reported properties set by the test, a method call answered with what it was given ({@code silent}
 * answers 504, as the hub does when a module does not answer in time), leaf devices the test connects (each
 * subscribed to its devicebound topic) and cloud-to-device messages recorded for a connected leaf and refused
 * for another, as the hub refuses them ({@code ENDPOINT_UNAVAILABLE}). The hub's own twin store, method calls and
 * C2D deliveries over MQTT are tested in outpost-hub ({@code HubListenerTest}).
 */
final class HubStandIn implements Twins, MethodInvoker, CloudToDevice, ConnectedClients {

    final Map<String, String> reported = new ConcurrentHashMap<>();
    /** Leaf device twins: desired set by the link, reported set by the test. */
    final Map<String, String> leafDesired = new ConcurrentHashMap<>();
    final Map<String, String> leafReported = new ConcurrentHashMap<>();
    /** Cloud-to-device messages handed over: {@code <leaf> <body> <properties>}. */
    final List<String> c2d = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** The leaf devices connected to the hub and subscribed to {@code devices/<leaf>/messages/devicebound/#}. */
    final Set<String> connectedLeaves = ConcurrentHashMap.newKeySet();
    /** Run at the start of each C2D delivery to a connected leaf (before it is acknowledged). */
    volatile Consumer<String> onC2d = leaf -> { };
    /** When set: the next delivery to a connected leaf fails as when the leaf goes away without its PUBACK. */
    final AtomicBoolean dropNext = new AtomicBoolean();
    /** C2D deliveries refused (leaf not connected, or gone away). */
    final AtomicInteger c2dRefused = new AtomicInteger();
    private final String deviceId;

    HubStandIn(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public Optional<String> twin(String identity) {
        if (identity.startsWith(deviceId + "/")) {
            return moduleTwin(identity.substring(deviceId.length() + 1));
        }
        if (!leafDesired.containsKey(identity) && !leafReported.containsKey(identity)) {
            return Optional.empty();
        }
        return Optional.of("{\"desired\":" + leafDesired.getOrDefault(identity, "{}") + ",\"reported\":"
                + leafReported.getOrDefault(identity, "{}") + "}");
    }

    @Override
    public OptionalLong setLeafDesired(String leaf, String desiredJson) {
        String old = leafDesired.put(leaf, desiredJson);
        return desiredJson.equals(old) ? OptionalLong.empty() : OptionalLong.of(leafDesired.size());
    }

    @Override
    public void send(String leaf, byte[] body, Map<String, String> properties) {
        if (!connectedLeaves.contains(leaf)) {
            c2dRefused.incrementAndGet();
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "cloud-to-device message to " + leaf
                    + " not delivered: " + leaf + " is not connected");
        }
        onC2d.accept(leaf);
        if (dropNext.compareAndSet(true, false)) {
            connectedLeaves.remove(leaf);
            c2dRefused.incrementAndGet();
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "cloud-to-device message to " + leaf
                    + " not delivered: " + leaf + " disconnected before its PUBACK");
        }
        c2d.add(leaf + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8) + " " + properties);
    }

    @Override
    public List<ClientConnection> list() {
        return connectedLeaves.stream().sorted().map(leaf -> new ClientConnection(leaf, "MQTT 3.1.1", true,
                "127.0.0.1:50000", Instant.EPOCH, Optional.empty(),
                Set.of("devices/" + leaf + "/messages/devicebound/#", "$iothub/twin/res/#"))).toList();
    }

    @Override
    public Optional<String> moduleTwin(String moduleId) {
        return Optional.ofNullable(reported.get(moduleId))
                .map(r -> "{\"desired\":{\"$version\":1},\"reported\":" + r.replaceFirst("}\\s*$", ",\"\\$version\":2}")
                        + "}");
    }

    @Override
    public List<String> identities() {
        return reported.keySet().stream().map(m -> deviceId + "/" + m).sorted().toList();
    }

    @Override
    public MethodResponse invoke(String device, Optional<String> moduleId, String method, String payloadJson,
            Duration timeout) {
        calls.add(device + moduleId.map(m -> "/" + m).orElse("") + " " + method);
        if (method.equals("silent")) {
            return new MethodResponse(504, "{\"message\":\"no answer in time\"}");
        }
        try {
            ObjectNode answer = ReportedState.MAPPER.createObjectNode().put("method", method)
                    .put("module", moduleId.orElse(""));
            answer.set("payload", ReportedState.MAPPER.readTree(payloadJson));
            return new MethodResponse(200, answer.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
